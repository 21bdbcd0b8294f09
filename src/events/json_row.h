#pragma once

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
  void Flatten(const rapidjson::Value& v, std::string* name, int depth);
  void Append(const std::string& name, std::string_view value);

  JsonDoc doc_;
  std::string raw_;
  std::vector<std::string> names_;
  std::vector<std::string> values_;
  std::unordered_map<std::string, size_t> index_;
  std::vector<std::string_view> header_, cells_;
};

}  // namespace vd::events
