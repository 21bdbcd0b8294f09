#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "detect/findings.h"
#include "scp/search_command.h"

namespace vd::command {

// Findings as the result CSV splunkd receives: one row per finding (DESIGN.md §3.5 order),
// one header over all fields, multivalue fields in the __mv_ encoding. Nothing at all when
// there are no findings.
//
// The table is sized exactly first, then written in pieces (scp::StreamedBody): a large
// search's result is tens of MB, and building it in one buffer cost a page fault per 4 KiB
// on top of the copy. The findings must outlive it.
class FindingsCsv : public scp::StreamedBody {
 public:
  explicit FindingsCsv(const detect::Findings* findings);
  uint64_t size() const override { return size_; }
  Status WriteTo(scp::ByteSink* sink) override;

  // The table's columns, as csv::TableWriter lays out the union of the rows' fields: in
  // first-seen order, then an __mv_ column for each field that holds two or more values in
  // some row, in the same order.
  struct Layout {
    std::vector<std::string_view> names;  // plain columns (the visitor's names are literals)
    std::vector<bool> multi;              // by plain column: has an __mv_ column
    std::vector<uint32_t> column_of[2];   // by finding kind (bulk, chain), by field position
  };

 private:
  const detect::Findings* findings_;
  Layout layout_;
  uint64_t size_ = 0;
};

// The same bytes appended to *out.
void WriteFindingsCsv(const detect::Findings& findings, std::string* out);

}  // namespace vd::command
