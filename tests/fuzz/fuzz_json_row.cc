// Fuzz target for JSON _raw flattening (JsonRow): arbitrary bytes as one JSON-lines record.
// Checks: header and cells align, field names are distinct, _raw is present on success, the
// view is empty on failure, and parsing again with the same JsonRow gives the same row.
//
// Built two ways: with -fsanitize=fuzzer (libFuzzer's main), and with replay_main.cc for
// the CTest replay of the corpus under a normal compiler.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "events/json_row.h"

namespace {

void Check(bool ok) {
  if (!ok) std::abort();
}

std::vector<std::string> Flat(const vd::events::JsonRow& row) {
  std::vector<std::string> out;
  for (std::string_view h : row.header()) out.emplace_back(h);
  for (std::string_view c : row.cells()) out.emplace_back(c);
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view line(reinterpret_cast<const char*>(data), size);
  vd::events::JsonRow row;
  const vd::Status s = row.Parse(line);
  Check(row.header().size() == row.cells().size());
  if (!s.ok()) {
    Check(row.header().empty());
    return 0;
  }
  std::set<std::string_view> names(row.header().begin(), row.header().end());
  Check(names.size() == row.header().size());
  Check(names.count("_raw") == 1);
  const std::vector<std::string> first = Flat(row);
  Check(row.Parse(line).ok());
  Check(Flat(row) == first);
  return 0;
}
