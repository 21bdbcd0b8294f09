#pragma once
// What splunkd makes of the events a modular input writes, up to the CSV it hands a search
// command, and the CSV the command answers with. Test-only code, independent of src/csv and
// src/events: the JSON flattening is tests/events/splunk_rows (a second implementation of
// Splunk's KV_MODE=json), the CSV is written and read here.

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace vd::integration {

// One <event> of an input's <stream>.
struct StreamEvent {
  std::string stanza;
  std::string time;  // <time>: epoch seconds, as splunkd stores it in _time
  std::string sourcetype;
  std::string data;  // <data>: the raw event text (_raw)
};

// Parses a whole <stream> document (throws, failing the test, when it is not well-formed).
std::vector<StreamEvent> ParseStream(const std::string& xml);

enum class Extraction {
  kJson,     // the sourcetype has KV_MODE=json: every flattened field, __mv_ columns, _raw, _time
  kRawOnly,  // a sourcetype without extraction: only _raw and _time
};

// The result rows of `search sourcetype=...` over these events, as one CSV (header = union of
// the rows' fields in first-seen order, missing fields empty, every cell quoted). With
// `fields_kept` (Splunk's `fields` command: names, '*' wildcards), only the fields that match
// one of them, with their __mv_ columns.
std::string SearchResultsCsv(const std::vector<StreamEvent>& events, Extraction extraction,
                             const std::string& host, const std::string& index,
                             const std::vector<std::string>& fields_kept = {});

// The field list of a `fields a b c*` macro definition in a .conf file (backslash-continued
// lines joined), e.g. [vishing_fields] of default/macros.conf. Empty when there is none.
std::vector<std::string> MacroFieldList(const std::string& conf_text, const std::string& stanza);

using CsvRow = std::map<std::string, std::string>;

// RFC 4180 (quoted cells may hold commas, quotes and newlines). Throws on malformed input.
std::vector<CsvRow> ParseCsv(std::string_view text);

}  // namespace vd::integration
