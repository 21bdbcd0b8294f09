// Fuzz target for the Windows _raw decoders (XmlWinEventLog and classic WinEventLog): every
// field they return must view the input or the scratch buffer as it is after the call (never
// a buffer that grew meanwhile), and a second parse with the reused scratch gives the same
// fields.
//
// Built two ways: with -fsanitize=fuzzer (libFuzzer's main), and with replay_main.cc for
// the CTest replay of the corpus under a normal compiler.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "events/windows_raw.h"

namespace {

void Check(bool ok) {
  if (!ok) std::abort();
}

bool Inside(std::string_view field, std::string_view buffer) {
  return field.data() >= buffer.data() &&
         field.data() + field.size() <= buffer.data() + buffer.size();
}

void CheckOwned(const vd::events::WindowsRawFields& f, std::string_view raw,
                const std::string& scratch) {
  for (std::string_view v : {f.event_id, f.keywords, f.system_time, f.record_id, f.computer,
                             f.subject_user, f.subject_domain, f.target_user, f.target_domain}) {
    Check(v.empty() || Inside(v, raw) || Inside(v, scratch));
  }
}

std::string Fields(const vd::events::WindowsRawFields& f) {
  std::string out;
  for (std::string_view v : {f.event_id, f.keywords, f.system_time, f.record_id, f.computer,
                             f.subject_user, f.subject_domain, f.target_user, f.target_domain}) {
    out.append(v);
    out.push_back('\0');
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string raw(reinterpret_cast<const char*>(data), size);
  vd::events::WindowsRawFields f;
  std::string scratch;
  const bool xml = vd::events::ParseWindowsXml(raw, &f, &scratch);
  CheckOwned(f, raw, scratch);
  const std::string first = Fields(f);
  Check(vd::events::ParseWindowsXml(raw, &f, &scratch) == xml);
  CheckOwned(f, raw, scratch);
  Check(Fields(f) == first);
  if (xml) Check(!f.event_id.empty());

  vd::events::WindowsRawFields classic;
  if (vd::events::ParseWindowsClassic(raw, &classic)) Check(!classic.event_id.empty());
  CheckOwned(classic, raw, std::string());
  return 0;
}
