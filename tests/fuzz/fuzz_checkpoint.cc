// Fuzz target for the checkpoint file: arbitrary bytes as its contents. Checks: parsing ends
// in a checkpoint or an error (no crash, no stack exhaustion however deep the nesting), and
// an accepted checkpoint serializes to a form that parses back to the same checkpoint.
//
// Built two ways: with -fsanitize=fuzzer (libFuzzer's main), and with replay_main.cc for
// the CTest replay of the corpus under a normal compiler.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "modinput/checkpoint.h"

namespace {

void Check(bool ok) {
  if (!ok) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto cp = vd::modinput::ParseCheckpoint(text);
  if (!cp.ok()) return 0;
  const std::string again = vd::modinput::SerializeCheckpoint(cp.value());
  auto back = vd::modinput::ParseCheckpoint(again);
  Check(back.ok() && back.value().watermark == cp.value().watermark &&
        back.value().ids.size() == cp.value().ids.size());
  for (size_t i = 0; i < back.value().ids.size(); ++i) {
    Check(back.value().ids[i].id == cp.value().ids[i].id &&
          back.value().ids[i].time == cp.value().ids[i].time);
  }
  Check(vd::modinput::SerializeCheckpoint(back.value()) == again);
  return 0;
}
