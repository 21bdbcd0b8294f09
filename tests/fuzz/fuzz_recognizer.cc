// Fuzz target for the recognizers through the public Recognizer API on arbitrary rows: the
// input is read as CSV (first row the header, the rest rows, cells in any number), so field
// names of every shape (vc_*, Windows, O365, Sentinel, Entra sign-in and audit, a JSON or
// XML _raw) meet arbitrary values. Checks: Recognize, RecognizeView and RecognizeBatch give
// the same verdict for every row, in both identity modes; sanitizers catch the rest.
//
// Built two ways: with -fsanitize=fuzzer (libFuzzer's main), and with replay_main.cc for
// the CTest replay of the corpus under a normal compiler.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/string_pool.h"
#include "csv/reader.h"
#include "events/recognizer.h"

namespace {

void Check(bool ok) {
  if (!ok) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  vd::csv::Reader reader(text.data(), text.size());
  std::vector<std::string_view> cells;
  if (!reader.Next(&cells)) return 0;
  const std::vector<std::string> header_text(cells.begin(), cells.end());
  const std::vector<std::string_view> header(header_text.begin(), header_text.end());
  std::vector<std::vector<std::string_view>> rows;
  while (rows.size() < 64 && reader.Next(&cells)) rows.push_back(cells);

  for (vd::events::IdentityMode mode :
       {vd::events::IdentityMode::kLocalpart, vd::events::IdentityMode::kUpn,
        vd::events::IdentityMode::kExact}) {
    vd::StringPool pool, batch_pool;
    vd::events::Recognizer single(&pool, mode), view(&pool, mode), batch(&batch_pool, mode);
    single.SetHeader(header);
    view.SetHeader(header);
    batch.SetHeader(header);
    std::vector<vd::events::RecognizeResult> results(rows.size());
    std::vector<vd::events::IdentityEvent> events(rows.size());
    for (size_t i = 0; i < rows.size(); ++i) {
      vd::events::IdentityEvent e;
      vd::events::EventView v;
      results[i] = single.Recognize(rows[i], &e);
      const vd::events::RecognizeResult rv = view.RecognizeView(rows[i], &v);
      Check(rv.verdict == results[i].verdict && rv.reason == results[i].reason);
    }
    std::vector<std::span<const std::string_view>> spans(rows.begin(), rows.end());
    std::vector<vd::events::RecognizeResult> batch_results(rows.size());
    batch.RecognizeBatch(spans, batch_results.data(), events.data());
    for (size_t i = 0; i < rows.size(); ++i) {
      Check(batch_results[i].verdict == results[i].verdict &&
            batch_results[i].reason == results[i].reason);
    }
  }
  return 0;
}
