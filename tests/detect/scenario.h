#pragma once

// Hand-built identity events for the detect tests: what the recognizers would produce.

#include <cctype>
#include <string>
#include <string_view>
#include <vector>

#include "common/string_pool.h"
#include "common/time.h"
#include "detect/findings.h"
#include "detect/options.h"
#include "events/identity_event.h"

namespace vd::detect::testing {

using events::IdentityEvent;
using events::Kind;
using events::Outcome;
using events::Source;

constexpr TimeMs kSecond = 1000;
constexpr TimeMs kMinute = 60 * kSecond;
constexpr TimeMs kHour = 60 * kMinute;

// Monday 2024-03-04 00:00:00 UTC.
inline TimeMs Day() { return DaysFromCivil(2024, 3, 4) * 24 * kHour; }
inline TimeMs At(int hour, int minute, int second = 0) {
  return Day() + hour * kHour + minute * kMinute + second * kSecond;
}

// identity=localpart as DESIGN.md §3.2 defines it: case-fold, strip DOMAIN\ and @suffix.
inline std::string LocalpartKey(std::string_view s) {
  if (size_t slash = s.rfind('\\'); slash != std::string_view::npos) s.remove_prefix(slash + 1);
  if (size_t at = s.find('@'); at != std::string_view::npos) s = s.substr(0, at);
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

class Scenario {
 public:
  StringPool pool;
  std::vector<IdentityEvent> events;

  StrId S(std::string_view s) { return pool.Intern(s); }

  IdentityEvent& Reset(TimeMs t, std::string_view initiator, std::string_view target,
                       std::string_view operation = "Reset user password",
                       Source source = Source::kEntra) {
    IdentityEvent e;
    e.time = t;
    e.kind = Kind::kReset;
    e.source = source;
    e.operation = S(operation);
    e.initiator = S(initiator);
    e.initiator_key = S(LocalpartKey(initiator));
    e.target = S(target);
    e.target_key = S(LocalpartKey(target));
    e.event_id = S("ev-" + std::to_string(++next_id_));
    events.push_back(e);
    return events.back();
  }
  IdentityEvent& Mfa(TimeMs t, std::string_view target,
                     std::string_view operation = "User registered security info",
                     Source source = Source::kEntra) {
    IdentityEvent e;
    e.time = t;
    e.kind = Kind::kMfa;
    e.source = source;
    e.operation = S(operation);
    e.initiator = S(target);  // self-registration: the user is the initiator
    e.initiator_key = S(LocalpartKey(target));
    e.target = S(target);
    e.target_key = S(LocalpartKey(target));
    e.event_id = S("ev-" + std::to_string(++next_id_));
    events.push_back(e);
    return events.back();
  }
  IdentityEvent& Signin(TimeMs t, std::string_view user, std::string_view ip) {
    IdentityEvent e;
    e.time = t;
    e.kind = Kind::kSignin;
    e.source = Source::kEntra;
    e.operation = S("Sign-in activity");
    e.target = S(user);
    e.target_key = S(LocalpartKey(user));
    e.signin_ip = S(ip);
    e.event_id = S("ev-" + std::to_string(++next_id_));
    events.push_back(e);
    return events.back();
  }

  Findings Run(const Options& options) const { return Analyze(events, pool, options); }

 private:
  int next_id_ = 0;
};

// The default helpdesk_regex, as the command would supply it through RE2, spelled out for
// the test names used here (case-insensitive substring search).
inline bool DefaultHelpdeskName(std::string_view name) {
  std::string lower(name);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (const char* word : {"helpdesk", "servicedesk", "itadmin", "support", "resetbot"}) {
    if (lower.find(word) != std::string::npos) return true;
  }
  return false;
}

inline Options DefaultOptions() {
  Options o;
  o.is_helpdesk_name = DefaultHelpdeskName;
  return o;
}

}  // namespace vd::detect::testing
