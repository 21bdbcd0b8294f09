#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/huge_pages.h"

namespace vd::events {

// Interned string id. 0 is always the empty string, so "absent" needs no optional.
using StrId = uint32_t;
inline constexpr StrId kEmptyStr = 0;

// Owns each distinct string once; events carry StrIds, not strings, so memory grows with
// distinct identities, not with rows. Views returned by Get() stay valid for the pool's life
// (strings live in a deque of blocks that never moves them).
//
// The index is an open-addressing table (32 hash bits, id and record per slot), linear
// probing, behind a small direct-mapped front of recent strings: a lookup is one hash,
// usually one slot, and one compare of the stored record. It replaced a std::unordered_map
// whose node walks were a quarter of the recognizers' time.
class StringPool {
 public:
  StringPool()
      : views_{std::string_view()}, slots_(kInitialSlots), front_(new Slot[kFrontSlots]()) {}
  StringPool(const StringPool&) = delete;
  StringPool& operator=(const StringPool&) = delete;

  // A fast hash of the bytes (word at a time); Intern(s, Hash(s)) == Intern(s).
  static uint64_t Hash(std::string_view s) {
    const char* p = s.data();
    size_t n = s.size();
    uint64_t h = 0x243F6A8885A308D3ull ^ (n * 0x9E3779B97F4A7C15ull);
    while (n >= 8) {
      h = Mix(h ^ Load(p, 8), 0x9FB21C651E98DF25ull);
      p += 8;
      n -= 8;
    }
    if (n > 0) h = Mix(h ^ LoadTail(p, n), 0xC2B2AE3D27D4EB4Full);
    return Mix(h, 0x165667B19E3779F9ull);
  }

  StrId Intern(std::string_view s) { return Intern(s, Hash(s)); }
  StrId Intern(std::string_view s, uint64_t hash) {
    if (s.empty()) return kEmptyStr;
    uint32_t tag = static_cast<uint32_t>(hash);
    Slot& front = front_[(hash >> 40) & (kFrontSlots - 1)];
    if (front.id != kEmptyStr && front.tag == tag && Same(front.record, s)) return front.id;
    size_t i = tag & (slots_.size() - 1);
    for (;; i = (i + 1) & (slots_.size() - 1)) {
      const Slot& slot = slots_[i];
      if (slot.id == kEmptyStr) break;
      if (slot.tag == tag && Same(slot.record, s)) {
        front = slot;
        return slot.id;
      }
    }
    StrId id = static_cast<StrId>(views_.size());
    const char* record = Store(s);
    ReserveHuge(&views_, views_.size() + 1);
    views_.push_back(std::string_view(record + kLengthBytes, s.size()));
    slots_[i] = Slot{tag, id, record};
    front = slots_[i];
    if (views_.size() * 4 > slots_.size() * 3) Grow();  // load factor <= 3/4
    return id;
  }

  // Hints for a lookup of Hash(s) that comes a few strings later (Recognizer's batches):
  // the slots it will read, then (once those are in cache) the record its home slot points
  // at. Lookups here wait on memory, not on arithmetic; several in flight overlap.
  void PrefetchSlots(uint64_t hash) const {
    __builtin_prefetch(&front_[(hash >> 40) & (kFrontSlots - 1)]);
    __builtin_prefetch(&slots_[static_cast<uint32_t>(hash) & (slots_.size() - 1)]);
  }
  void PrefetchRecord(uint64_t hash) const {
    const uint32_t tag = static_cast<uint32_t>(hash);
    const Slot& home = slots_[tag & (slots_.size() - 1)];
    if (home.id != kEmptyStr && home.tag == tag) __builtin_prefetch(home.record);
  }

  // Returns kEmptyStr... only for "", otherwise the id if present, or kNotFound.
  static constexpr StrId kNotFound = UINT32_MAX;
  StrId Find(std::string_view s) const {
    if (s.empty()) return kEmptyStr;
    uint64_t hash = Hash(s);
    uint32_t tag = static_cast<uint32_t>(hash);
    for (size_t i = tag & (slots_.size() - 1);; i = (i + 1) & (slots_.size() - 1)) {
      const Slot& slot = slots_[i];
      if (slot.id == kEmptyStr) return kNotFound;
      if (slot.tag == tag && Same(slot.record, s)) return slot.id;
    }
  }
  std::string_view Get(StrId id) const { return views_[id]; }
  size_t size() const { return views_.size(); }
  size_t bytes() const { return bytes_; }

 private:
  // Each string is stored as a record: its length (4 bytes) then its bytes, so checking a
  // candidate touches one place in memory (not the views by id and then the bytes). On this
  // workload the lookups are bound by cache misses, not by hashing.
  static constexpr size_t kLengthBytes = 4;
  struct Slot {
    uint32_t tag = 0;      // low 32 bits of the hash; its low bits are the home slot
    StrId id = kEmptyStr;  // kEmptyStr: a free slot ("" itself is never in the table)
    const char* record = nullptr;
  };
  static constexpr size_t kInitialSlots = 1024;  // power of two
  // A direct-mapped front of recently interned strings: the same operations, initiators and
  // targets recur row after row, and a hit costs one slot in cache plus the record.
  static constexpr size_t kFrontSlots = 1 << 14;  // power of two

  static bool Same(const char* record, std::string_view s) {
    uint32_t n;
    std::memcpy(&n, record, kLengthBytes);
    return n == s.size() && std::memcmp(record + kLengthBytes, s.data(), n) == 0;
  }

  static uint64_t Load(const char* p, size_t n) {
    uint64_t w = 0;
    std::memcpy(&w, p, n);
    return w;
  }
  // The last 1..7 bytes without a variable-length memcpy: two overlapping 4-byte loads, or
  // first/middle/last byte; with the length mixed into the seed, distinct tails of one length
  // give distinct words.
  static uint64_t LoadTail(const char* p, size_t n) {
    if (n >= 4) {
      uint32_t a, b;
      std::memcpy(&a, p, 4);
      std::memcpy(&b, p + n - 4, 4);
      return (static_cast<uint64_t>(a) << 32) | b;
    }
    return (static_cast<uint64_t>(static_cast<unsigned char>(p[0])) << 16) |
           (static_cast<uint64_t>(static_cast<unsigned char>(p[n >> 1])) << 8) |
           static_cast<unsigned char>(p[n - 1]);
  }
  static uint64_t Mix(uint64_t a, uint64_t b) {
    __uint128_t r = static_cast<__uint128_t>(a) * b;
    return static_cast<uint64_t>(r) ^ static_cast<uint64_t>(r >> 64);
  }

  void Grow() {
    std::vector<Slot> old;
    old.reserve(slots_.size() * 2);
    AdviseHugePages(old.data(), old.capacity() * sizeof(Slot));  // before the resize touches it
    old.resize(slots_.size() * 2);
    old.swap(slots_);
    size_t mask = slots_.size() - 1;
    for (const Slot& s : old) {
      if (s.id == kEmptyStr) continue;
      size_t i = s.tag & mask;  // the tag holds every bit a table below 2^32 slots uses
      while (slots_[i].id != kEmptyStr) i = (i + 1) & mask;
      slots_[i] = s;
    }
  }

  // Appends the record (length, bytes) and returns where it starts; never moves it later.
  // Blocks start at 64 KiB and double up to 4 MiB: a small pool stays small, a pool of
  // millions of strings gets blocks that huge pages can back.
  const char* Store(std::string_view s) {
    constexpr size_t kFirstBlock = 64 * 1024, kMaxBlock = size_t{4} << 20;
    uint32_t n = static_cast<uint32_t>(s.size());
    bytes_ += s.size();
    if (s.size() > kFirstBlock / 4) {
      std::string& big = big_.emplace_back();
      big.reserve(kLengthBytes + s.size());
      big.append(reinterpret_cast<const char*>(&n), kLengthBytes);
      big.append(s);
      return big.data();
    }
    size_t need = kLengthBytes + s.size();
    if (blocks_.empty() || blocks_.back().capacity() - blocks_.back().size() < need) {
      const size_t block =
          blocks_.empty() ? kFirstBlock : std::min(2 * blocks_.back().capacity(), kMaxBlock);
      blocks_.emplace_back();
      blocks_.back().reserve(block);
      AdviseHugePages(blocks_.back().data(), blocks_.back().capacity());
    }
    std::string& b = blocks_.back();
    size_t at = b.size();
    // never reallocates: capacity was reserved and checked above
    b.append(reinterpret_cast<const char*>(&n), kLengthBytes);
    b.append(s);
    return b.data() + at;
  }

  std::deque<std::string> blocks_;
  std::deque<std::string> big_;
  std::vector<std::string_view> views_;  // by id; the views (not the vector) are what is stable
  std::vector<Slot> slots_;
  std::unique_ptr<Slot[]> front_;
  size_t bytes_ = 0;
};

}  // namespace vd::events
