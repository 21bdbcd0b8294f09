// Fuzz target for entra_audit's configuration XML on stdin: arbitrary bytes as the run-mode
// <input> document and as the --validate-arguments <items> document. Checks: each parse ends
// in a result or an error status (no crash, no stack exhaustion however deep the nesting),
// and a run-mode definition has named stanzas.
//
// Built two ways: with -fsanitize=fuzzer (libFuzzer's main), and with replay_main.cc for
// the CTest replay of the corpus under a normal compiler.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "modinput/input_definition.h"

namespace {

void Check(bool ok) {
  if (!ok) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view xml(reinterpret_cast<const char*>(data), size);
  auto run = vd::modinput::ParseInputDefinition(xml);
  if (run.ok()) {
    for (const auto& stanza : run.value().stanzas) Check(!stanza.name.empty());
  } else {
    Check(!run.status().message().empty());
  }
  auto validate = vd::modinput::ParseValidationDefinition(xml);
  if (validate.ok()) {
    Check(validate.value().stanzas.size() == 1);
  } else {
    Check(!validate.status().message().empty());
  }
  return 0;
}
