#pragma once

// Test helper: builds result rows the way a Splunk search hands them to a command, from
// the real fixture events. Independent of src/events (its own flattening), so the
// recognizers and JsonRow are checked against a second implementation.

#include <string>
#include <string_view>
#include <vector>

#include "common/string_pool.h"
#include "events/identity_event.h"
#include "events/recognize_result.h"
#include "events/recognizer.h"

namespace vd::events::testing {

class TestRow {
 public:
  void Set(std::string_view name, std::string_view value);  // add or replace
  void Drop(std::string_view name);
  bool Has(std::string_view name) const;
  std::string Get(std::string_view name) const;

  // Views valid until the row is modified.
  std::vector<std::string_view> Header() const;
  std::vector<std::string_view> Cells() const;

 private:
  std::vector<std::string> names_, values_;
};

std::string ReadFile(const std::string& relative_to_test_data);
std::vector<std::string> ReadLines(const std::string& relative_to_test_data);

// Splunk's JSON extraction (KV_MODE=json / INDEXED_EXTRACTIONS): nested keys joined by
// '.', arrays as "{}" multivalue fields (values joined by '\n'), nulls dropped, plus
// _raw. With mv_encoding, fields holding more than one value also get the __mv_ column.
TestRow FlattenJsonLikeSplunk(std::string_view json, bool mv_encoding = false);

// The Windows TA's XmlWinEventLog extraction: EventCode, Keywords ("Audit Success" /
// "Audit Failure"), EventRecordID, Computer, every <Data Name=...>, and _raw.
TestRow XmlWinEventFields(std::string_view xml);
// The same event as only _raw (a sourcetype with no Windows extractions).
TestRow XmlWinEventRawOnly(std::string_view xml);

// Runs one row through a fresh header.
RecognizeResult RecognizeRow(Recognizer* r, const TestRow& row, IdentityEvent* out);

}  // namespace vd::events::testing
