// Fuzz target for the CSV layer: read every row of arbitrary bytes, write the cells
// back with the writer, read them again and demand the same cells; decode every cell
// as an __mv_ value and check encode/decode round-trips. The reader's block scan at
// every SIMD level (and its span API) must agree with the default one, errors included.
// A body cut where FindRowStart says a row starts reads as the same rows in two readers.
//
// Built two ways: with -fsanitize=fuzzer (libFuzzer's main), and with
// replay_main.cc for the CTest replay of the seed corpus under a normal compiler.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "csv/multivalue.h"
#include "csv/reader.h"
#include "csv/writer.h"

namespace {

void Check(bool ok) {
  if (!ok) std::abort();
}

std::vector<std::vector<std::string>> ReadAll(std::string* text, bool* ok) {
  std::vector<std::vector<std::string>> rows;
  vd::csv::Reader reader(text->data(), text->size());
  std::vector<std::string_view> cells;
  while (reader.Next(&cells)) rows.emplace_back(cells.begin(), cells.end());
  *ok = reader.status().ok();
  return rows;
}

// The rows and the error text of `input` read at `level` through NextRow().
std::vector<std::vector<std::string>> ReadAt(std::string input, vd::csv::SimdLevel level,
                                             std::string* error) {
  std::vector<std::vector<std::string>> rows;
  vd::csv::Reader reader(input.data(), input.size(), level);
  std::span<const std::string_view> cells;
  while (reader.NextRow(&cells)) rows.emplace_back(cells.begin(), cells.end());
  *error = reader.status().message();
  return rows;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string input(reinterpret_cast<const char*>(data), size);
  std::string error;
  {
    std::string copy = input;
    vd::csv::Reader reader(copy.data(), copy.size());
    std::vector<std::string_view> cells;
    while (reader.Next(&cells)) {
    }
    error = reader.status().message();
  }
  bool ok = false;
  auto rows = ReadAll(&input, &ok);
  for (vd::csv::SimdLevel level :
       {vd::csv::SimdLevel::kBaseline, vd::csv::SimdLevel::kAvx2, vd::csv::SimdLevel::kAvx512}) {
    std::string level_error;
    Check(ReadAt(std::string(reinterpret_cast<const char*>(data), size), level, &level_error) ==
              rows &&
          level_error == error);
  }

  // The map invocation's split: the first part read alone, then the rest with its errors
  // shifted, must give the whole body's rows and error.
  if (size_t cut = vd::csv::FindRowStart(reinterpret_cast<const char*>(data), size, size / 2);
      cut != SIZE_MAX) {
    Check(cut > 0 && cut < size);
    std::string copy(reinterpret_cast<const char*>(data), size);
    std::vector<std::vector<std::string>> halves;
    vd::csv::Reader first(copy.data(), cut);
    std::span<const std::string_view> cells;
    while (first.NextRow(&cells)) halves.emplace_back(cells.begin(), cells.end());
    Check(first.status().ok());
    vd::csv::Reader second(copy.data() + cut, size - cut);
    while (second.NextRow(&cells)) halves.emplace_back(cells.begin(), cells.end());
    Check(halves == rows && second.StatusAfter(first.rows_read(), cut).message() == error);
  }

  std::string written;
  vd::csv::Writer writer(&written);
  std::vector<std::string> decoded, again;
  for (const auto& row : rows) {
    Check(!row.empty());
    std::vector<std::string_view> views(row.begin(), row.end());
    writer.WriteRow(views);
    for (std::string_view cell : views) {
      if (!vd::csv::DecodeMultivalue(cell, &decoded) || decoded.size() < 2) continue;
      std::vector<std::string_view> items(decoded.begin(), decoded.end());
      std::string plain, mv;
      vd::csv::EncodeMultivalue(items, &plain, &mv);
      Check(vd::csv::DecodeMultivalue(mv, &again) && again == decoded);
    }
  }
  bool reread_ok = false;
  Check(ReadAll(&written, &reread_ok) == rows && reread_ok);
  (void)ok;
  return 0;
}
