#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <unordered_map>

namespace vd::events {

// Interned string id. 0 is always the empty string, so "absent" needs no optional.
using StrId = uint32_t;
inline constexpr StrId kEmptyStr = 0;

// Owns each distinct string once; events carry StrIds, not strings, so memory grows with
// distinct identities, not with rows. Views returned by Get() stay valid for the pool's life
// (strings live in a deque of blocks that never moves them).
class StringPool {
 public:
  StringPool() { Intern(""); }
  StringPool(const StringPool&) = delete;
  StringPool& operator=(const StringPool&) = delete;

  StrId Intern(std::string_view s) {
    auto it = index_.find(s);
    if (it != index_.end()) return it->second;
    std::string_view stored = Store(s);
    StrId id = static_cast<StrId>(views_.size());
    views_.push_back(stored);
    index_.emplace(stored, id);
    return id;
  }
  // Returns kEmptyStr... only for "", otherwise the id if present, or kNotFound.
  static constexpr StrId kNotFound = UINT32_MAX;
  StrId Find(std::string_view s) const {
    auto it = index_.find(s);
    return it == index_.end() ? kNotFound : it->second;
  }
  std::string_view Get(StrId id) const { return views_[id]; }
  size_t size() const { return views_.size(); }
  size_t bytes() const { return bytes_; }

 private:
  std::string_view Store(std::string_view s) {
    constexpr size_t kBlock = 64 * 1024;
    if (s.size() > kBlock / 4) {
      big_.emplace_back(s);
      bytes_ += s.size();
      return big_.back();
    }
    if (blocks_.empty() || blocks_.back().capacity() - blocks_.back().size() < s.size()) {
      blocks_.emplace_back();
      blocks_.back().reserve(kBlock);
    }
    std::string& b = blocks_.back();
    size_t at = b.size();
    b.append(s);  // never reallocates: capacity was reserved and checked above
    bytes_ += s.size();
    return std::string_view(b.data() + at, s.size());
  }

  std::deque<std::string> blocks_;
  std::deque<std::string> big_;
  std::deque<std::string_view> views_;
  std::unordered_map<std::string_view, StrId> index_;
  size_t bytes_ = 0;
};

}  // namespace vd::events
