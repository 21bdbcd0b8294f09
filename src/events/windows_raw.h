#pragma once

#include <string>
#include <string_view>

namespace vd::events {

// The few fields of a Windows Security event the 4724 recognizer needs, read from _raw
// when the row lacks the extracted fields (a sourcetype without the Windows TA's
// extractions, or another TA version's names). Views point into the raw text or into
// the scratch buffer passed to the parser.
struct WindowsRawFields {
  std::string_view event_id;
  std::string_view keywords;     // "0x8020000000000000" (XML) or "Audit Success" (classic)
  std::string_view system_time;  // XML TimeCreated/@SystemTime
  std::string_view record_id;
  std::string_view computer;
  std::string_view subject_user;
  std::string_view subject_domain;
  std::string_view target_user;
  std::string_view target_domain;
};

// The XmlWinEventLog rendering: one <Event xmlns=...> document. Accepts both quote
// styles, self-closing <Data Name='X'/>, and decodes the five predefined XML entities
// and numeric character references. False when there is no <Event> with an <EventID>.
// `scratch` receives decoded values; the views into it are made after the last value is
// decoded, so they stay valid until the next call with the same scratch.
bool ParseWindowsXml(std::string_view raw, WindowsRawFields* out, std::string* scratch);

// The classic WinEventLog rendering: "EventCode=4724\nKeywords=Audit Success\n...
// Message=...\nSubject:\n\tAccount Name:\t\tadmin\n...Target Account:\n\tAccount Name:...".
// False when there is no EventCode= line.
bool ParseWindowsClassic(std::string_view raw, WindowsRawFields* out);

}  // namespace vd::events
