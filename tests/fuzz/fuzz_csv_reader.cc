// Fuzz target for the CSV layer: read every row of arbitrary bytes, write the cells
// back with the writer, read them again and demand the same cells; decode every cell
// as an __mv_ value and check encode/decode round-trips.
//
// Built two ways: with -fsanitize=fuzzer (libFuzzer's main), and with
// VD_FUZZ_REPLAY_MAIN for the CTest replay of the seed corpus under a normal compiler.
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

#ifdef VD_FUZZ_REPLAY_MAIN
// Replays every file of the directories (or files) named on the command line.
#include <cstdio>
#include <filesystem>

int main(int argc, char** argv) {
  size_t files = 0;
  for (int i = 1; i < argc; ++i) {
    std::vector<std::filesystem::path> paths;
    if (std::filesystem::is_directory(argv[i])) {
      for (const auto& e : std::filesystem::directory_iterator(argv[i])) paths.push_back(e.path());
    } else {
      paths.emplace_back(argv[i]);
    }
    for (const auto& path : paths) {
      std::string bytes;
      if (FILE* f = std::fopen(path.c_str(), "rb")) {
        char buf[1 << 16];
        size_t n;
        while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) bytes.append(buf, n);
        std::fclose(f);
      } else {
        std::fprintf(stderr, "cannot open %s\n", path.c_str());
        return 1;
      }
      LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
      ++files;
    }
  }
  std::printf("replayed %zu inputs\n", files);
  return files > 0 ? 0 : 1;
}
#endif
