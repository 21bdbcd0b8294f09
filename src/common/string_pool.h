#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/huge_pages.h"

namespace vd {

// Interned string id. 0 is always the empty string, so "absent" needs no optional.
using StrId = uint32_t;
inline constexpr StrId kEmptyStr = 0;

// Owns each distinct string once; events carry StrIds, not strings, so memory grows with
// distinct identities, not with rows. Views returned by Get() stay valid for the pool's life
// (strings live in blocks that never move).
//
// Each string has one StrId beside it, its `key`: kEmptyStr until SetKey. It is the id of
// another string the user of the pool derives from this one (the Recognizer keeps a
// spelling's identity key there), so one lookup gives both: a table by id was one more cache
// miss per spelling. The pool itself never reads it.
//
// The index is split by the hash's top bits into kParts open-addressing tables, each growing
// on its own. Why: a report interns hundreds of thousands of identities, and one big table
// rehashed everything at every doubling, far out of cache; a part is a few hundred KB at
// most. A slot holds strings of up to kInline bytes itself, so a lookup reads one slot and
// no record elsewhere: on this workload lookups wait on memory, not on arithmetic.
class StringPool {
 public:
  StringPool() : views_{std::string_view()} {
    for (Part& p : parts_) p.Reset(kInitialSlots);
  }
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
  StrId Intern(std::string_view s, uint64_t hash) { return InternEntry(s, hash).id; }

  // Intern, with the string's key (kEmptyStr until SetKey).
  struct Entry {
    StrId id = kEmptyStr;
    StrId key = kEmptyStr;
  };
  Entry InternEntry(std::string_view s, uint64_t hash) {
    if (s.empty()) return {};
    Slot& slot = SlotFor(s, hash);
    if (slot.id == kEmptyStr) return {Insert(&PartOf(hash), &slot, s, static_cast<uint32_t>(hash))};
    return {slot.id, slot.key};
  }
  // Sets the key of an interned string `s` (hash = Hash(s)).
  void SetKey(std::string_view s, uint64_t hash, StrId key) {
    if (s.empty()) return;
    Slot& slot = SlotFor(s, hash);
    if (slot.id != kEmptyStr) slot.key = key;
  }

  // Hints for a lookup of Hash(s) that comes a few strings later (Recognizer's batches), so
  // several lookups wait on memory at once: Prefetch brings its home slot into cache; once
  // that is there, PrefetchBytes brings the bytes of a string kept out of line (longer than
  // a slot holds: most e-mail addresses) that the home slot points at.
  void Prefetch(uint64_t hash) const {
    const Part& part = PartOf(hash);
    __builtin_prefetch(&part.slots[static_cast<uint32_t>(hash) & part.mask]);
  }
  void PrefetchBytes(uint64_t hash) const {
    const Part& part = PartOf(hash);
    const Slot& home = part.slots[static_cast<uint32_t>(hash) & part.mask];
    if (home.length == kOutOfLine && home.tag == static_cast<uint32_t>(hash)) {
      const char* p;
      std::memcpy(&p, home.bytes, sizeof p);
      __builtin_prefetch(p);
    }
  }

  // Returns kEmptyStr... only for "", otherwise the id if present, or kNotFound.
  static constexpr StrId kNotFound = UINT32_MAX;
  StrId Find(std::string_view s) const {
    if (s.empty()) return kEmptyStr;
    const StrId id = SlotFor(s, Hash(s)).id;
    return id == kEmptyStr ? kNotFound : id;
  }
  std::string_view Get(StrId id) const { return views_[id]; }
  size_t size() const { return views_.size(); }
  size_t bytes() const { return bytes_; }

 private:
  static constexpr size_t kInline = 19;
  static constexpr uint8_t kOutOfLine = 0xFF;
  // 32 bytes: two to a cache line. A longer string keeps its pointer and length in `bytes`.
  struct alignas(32) Slot {
    uint32_t tag;  // low 32 bits of the hash; its low bits are the home slot
    StrId id;      // kEmptyStr: a free slot ("" itself is never in the table)
    StrId key;
    uint8_t length;
    char bytes[kInline];
  };
  static_assert(sizeof(Slot) == 32);
  struct Part {
    std::unique_ptr<Slot[]> slots;
    uint32_t mask = 0;
    uint32_t count = 0;
    void Reset(uint32_t n) {
      slots.reset(new Slot[n]());
      mask = n - 1;
    }
  };
  static constexpr int kPartBits = 8;
  static constexpr size_t kParts = size_t{1} << kPartBits;
  static constexpr uint32_t kInitialSlots = 16;  // power of two

  Part& PartOf(uint64_t hash) { return parts_[hash >> (64 - kPartBits)]; }
  const Part& PartOf(uint64_t hash) const { return parts_[hash >> (64 - kPartBits)]; }

  // The slot holding `s`, or the free slot where it would go.
  const Slot& SlotFor(std::string_view s, uint64_t hash) const {
    const Part& part = PartOf(hash);
    const uint32_t tag = static_cast<uint32_t>(hash);
    for (uint32_t i = tag & part.mask;; i = (i + 1) & part.mask) {
      const Slot& slot = part.slots[i];
      if (slot.id == kEmptyStr || (slot.tag == tag && Same(slot, s))) return slot;
    }
  }
  Slot& SlotFor(std::string_view s, uint64_t hash) {
    return const_cast<Slot&>(std::as_const(*this).SlotFor(s, hash));
  }

  // n <= kInline bytes, without a call: overlapping word loads inside [0, n) of both.
  static bool SameShort(const char* a, const char* b, size_t n) {
    if (n >= 8) {
      const bool edges = Load(a, 8) == Load(b, 8) && Load(a + n - 8, 8) == Load(b + n - 8, 8);
      return edges && (n <= 16 || Load(a + 8, 8) == Load(b + 8, 8));
    }
    if (n >= 4) return Load(a, 4) == Load(b, 4) && Load(a + n - 4, 4) == Load(b + n - 4, 4);
    for (size_t i = 0; i < n; ++i) {
      if (a[i] != b[i]) return false;
    }
    return true;
  }
  static bool Same(const Slot& slot, std::string_view s) {
    if (slot.length != kOutOfLine) {
      return slot.length == s.size() && SameShort(slot.bytes, s.data(), s.size());
    }
    const char* p;
    uint32_t n;
    std::memcpy(&p, slot.bytes, sizeof p);
    std::memcpy(&n, slot.bytes + sizeof p, sizeof n);
    return n == s.size() && std::memcmp(p, s.data(), n) == 0;
  }

  StrId Insert(Part* part, Slot* slot, std::string_view s, uint32_t tag) {
    const StrId id = static_cast<StrId>(views_.size());
    const char* stored = Store(s);
    ReserveHuge(&views_, views_.size() + 1);
    views_.push_back(std::string_view(stored, s.size()));
    slot->tag = tag;
    slot->id = id;
    slot->key = kEmptyStr;
    if (s.size() <= kInline) {
      slot->length = static_cast<uint8_t>(s.size());
      std::memcpy(slot->bytes, s.data(), s.size());
    } else {
      const uint32_t n = static_cast<uint32_t>(s.size());
      slot->length = kOutOfLine;
      std::memcpy(slot->bytes, &stored, sizeof stored);
      std::memcpy(slot->bytes + sizeof stored, &n, sizeof n);
    }
    if (++part->count * 4 > (part->mask + 1) * 3) Grow(part);  // load factor <= 3/4
    return id;
  }

  static void Grow(Part* part) {
    std::unique_ptr<Slot[]> old = std::move(part->slots);
    const uint32_t old_size = part->mask + 1;
    part->Reset(old_size * 2);
    for (uint32_t k = 0; k < old_size; ++k) {
      const Slot& s = old[k];
      if (s.id == kEmptyStr) continue;
      uint32_t i = s.tag & part->mask;  // the tag holds every bit a part below 2^32 slots uses
      while (part->slots[i].id != kEmptyStr) i = (i + 1) & part->mask;
      part->slots[i] = s;
    }
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

  // Appends the bytes and returns where they start; never moves them later. Blocks start at
  // 64 KiB and double up to 4 MiB: a small pool stays small, a pool of millions of strings
  // gets blocks that huge pages can back.
  const char* Store(std::string_view s) {
    constexpr size_t kFirstBlock = 64 * 1024, kMaxBlock = size_t{4} << 20;
    bytes_ += s.size();
    if (s.size() > kFirstBlock / 4) return big_.emplace_back(s).data();
    if (blocks_.empty() || blocks_.back().capacity() - blocks_.back().size() < s.size()) {
      const size_t block =
          blocks_.empty() ? kFirstBlock : std::min(2 * blocks_.back().capacity(), kMaxBlock);
      blocks_.emplace_back();
      blocks_.back().reserve(block);
      AdviseHugePages(blocks_.back().data(), blocks_.back().capacity());
    }
    std::string& b = blocks_.back();
    const size_t at = b.size();
    b.append(s);  // never reallocates: capacity was reserved and checked above
    return b.data() + at;
  }

  Part parts_[kParts];
  std::deque<std::string> blocks_;
  std::deque<std::string> big_;
  std::vector<std::string_view> views_;  // by id; the views (not the vector) are what is stable
  size_t bytes_ = 0;
};

}  // namespace vd
