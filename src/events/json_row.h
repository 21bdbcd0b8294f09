#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/status.h"
#include "events/json_doc.h"
#include "events/row.h"

namespace vd::events {

// Presents one JSON object (a line of a JSON-lines export: a Graph directoryAudit or
// signIn, an O365 record, an Event Hub record, a Sentinel AuditLogs row) as the same
// header + cells view a Splunk search gives, so the same recognizers apply:
//   * nested object keys are joined with '.'   (initiatedBy.user.userPrincipalName)
//   * array elements add "{}" to the name and become a multivalue field whose values
//     are joined with '\n'                     (targetResources{}.type)
//   * JSON nulls are dropped, as Splunk drops them (so multivalue lists can misalign,
//     exactly as in a real search)
//   * numbers keep their source text, booleans read "true"/"false"
//   * the whole line is the _raw field.
// Also used by Recognizer to read _raw of a row that lacks the extracted fields.
class JsonRow {
 public:
  // Parses `line`. On error the view is empty and the status says why (kParse: not a
  // JSON object; kLimit: longer than max_bytes).
  Status Parse(std::string_view line, size_t max_bytes = 16u << 20);

  Header header() const { return header_; }
  Cells cells() const { return cells_; }

 private:
  // The flattened names form a tree of paths: node 0 is the root, a child is (parent,
  // member name) or (parent, array). A field is looked up by its full name only when its
  // node first holds a value; every later value of the node (an array's elements, the same
  // member in each element of an array of objects) costs O(1), so a long key over a long
  // array is linear, not key length x elements. Different paths that flatten to the same
  // name ("a.b" as a key and b inside a) still share one field through index_.
  struct ChildKey {
    uint32_t parent;
    bool array;
    std::string_view member;  // a member name in doc_ (empty for an array)
    bool operator==(const ChildKey&) const = default;
  };
  struct ChildKeyHash {
    size_t operator()(const ChildKey& k) const {
      return std::hash<std::string_view>()(k.member) ^ (size_t{k.parent} * 0x9E3779B97F4A7C15u) ^
             (k.array ? 0x5bd1e995u : 0u);
    }
  };
  static constexpr uint32_t kNoField = UINT32_MAX;

  uint32_t Child(uint32_t parent, bool array, std::string_view member);
  void Flatten(const rapidjson::Value& v, std::string* name, uint32_t node, int depth);
  void Append(uint32_t node, const std::string& name, std::string_view value);

  JsonDoc doc_;
  std::string raw_;
  std::vector<std::string> names_;
  std::vector<std::string> values_;
  std::unordered_map<std::string, size_t> index_;
  std::vector<uint32_t> node_field_;  // per node: its field in names_/values_, or kNoField
  std::unordered_map<ChildKey, uint32_t, ChildKeyHash> children_;
  std::vector<std::string_view> header_, cells_;
};

}  // namespace vd::events
