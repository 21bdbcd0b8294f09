#pragma once

#include <initializer_list>
#include <memory>
#include <string_view>

#include <rapidjson/document.h>

namespace vd::events {

// A reusable JSON parser for the _raw / JSON-in-a-cell fallbacks. Numbers are kept as
// their source text (an errorCode of 0 reads "0"), parsing is iterative (a deeply nested
// hostile document cannot exhaust the stack), and the DOM lives in a reused arena, so a
// warmed-up parser does not touch the heap for records of normal size.
class JsonDoc {
 public:
  JsonDoc();
  JsonDoc(const JsonDoc&) = delete;
  JsonDoc& operator=(const JsonDoc&) = delete;
  ~JsonDoc();

  // False when `text` is not one complete JSON value. The previous DOM is discarded.
  bool Parse(std::string_view text);
  const rapidjson::Value& root() const { return *root_; }

 private:
  using Allocator = rapidjson::MemoryPoolAllocator<>;
  using Document = rapidjson::GenericDocument<rapidjson::UTF8<>, Allocator>;
  static constexpr size_t kArenaBytes = 64 * 1024;
  std::unique_ptr<char[]> arena_;
  std::unique_ptr<Allocator> allocator_;
  std::unique_ptr<Document> doc_;
  const rapidjson::Value* root_;
};

// The member `name` of an object (nullptr when v is null, not an object, or lacks it).
const rapidjson::Value* JsonMember(const rapidjson::Value* v, std::string_view name);

// Follows a path of member names; nullptr when any step is missing.
const rapidjson::Value* JsonPath(const rapidjson::Value* v,
                                 std::initializer_list<std::string_view> path);

// The string (or number text, or "true"/"false") at v; "" for null, objects, arrays.
std::string_view JsonText(const rapidjson::Value* v);

}  // namespace vd::events
