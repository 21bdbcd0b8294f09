// Fuzz target for the CSV layer: read every row of arbitrary bytes, write the cells
// back with the writer, read them again and demand the same cells; decode every cell
// as an __mv_ value and check encode/decode round-trips.
//
// Built two ways: with -fsanitize=fuzzer (libFuzzer's main), and with
// replay_main.cc for the CTest replay of the seed corpus under a normal compiler.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
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

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string input(reinterpret_cast<const char*>(data), size);
  bool ok = false;
  auto rows = ReadAll(&input, &ok);

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
