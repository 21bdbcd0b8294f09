#include "events/normalized_row.h"

#include "common/time.h"
#include "events/recognizer.h"
#include "events/text_util.h"

namespace vd::events {

std::string_view KindName(Kind kind) {
  switch (kind) {
    case Kind::kReset:
      return "reset";
    case Kind::kMfa:
      return "mfa";
    case Kind::kSignin:
      return "signin";
    case Kind::kKnownIp:
      return "known_ip";
  }
  return "reset";
}

std::string_view SourceName(Source source) {
  switch (source) {
    case Source::kAd:
      return "ad";
    case Source::kO365:
      return "o365";
    case Source::kEntra:
      return "entra";
    case Source::kOther:
      return "other";
  }
  return "other";
}

std::string_view OutcomeName(Outcome outcome) {
  return outcome == Outcome::kFailure ? "failure" : "success";
}

bool TryParseKind(std::string_view text, Kind* out) {
  text = Trim(text);
  if (EqualsIgnoreCase(text, "reset")) {
    *out = Kind::kReset;
  } else if (EqualsIgnoreCase(text, "mfa")) {
    *out = Kind::kMfa;
  } else if (EqualsIgnoreCase(text, "signin")) {
    *out = Kind::kSignin;
  } else if (EqualsIgnoreCase(text, "known_ip")) {
    *out = Kind::kKnownIp;
  } else {
    return false;
  }
  return true;
}

bool TryParseSource(std::string_view text, Source* out) {
  text = Trim(text);
  if (EqualsIgnoreCase(text, "ad")) {
    *out = Source::kAd;
  } else if (EqualsIgnoreCase(text, "o365")) {
    *out = Source::kO365;
  } else if (EqualsIgnoreCase(text, "entra")) {
    *out = Source::kEntra;
  } else if (EqualsIgnoreCase(text, "other")) {
    *out = Source::kOther;
  } else {
    return false;
  }
  return true;
}

bool TryParseOutcome(std::string_view text, Outcome* out) {
  text = Trim(text);
  if (EqualsIgnoreCase(text, "success")) {
    *out = Outcome::kSuccess;
  } else if (EqualsIgnoreCase(text, "failure")) {
    *out = Outcome::kFailure;
  } else {
    return false;
  }
  return true;
}

void WriteNormalizedCells(const IdentityEvent& e, const StringPool& pool, std::string* time_text,
                          std::string* arrival_text,
                          std::span<std::string_view, kVcColumnCount> cells) {
  FormatEpochSeconds(e.time, time_text);
  cells[0] = *time_text;
  cells[1] = KindName(e.kind);
  cells[2] = SourceName(e.source);
  cells[3] = pool.Get(e.operation);
  cells[4] = pool.Get(e.initiator);
  cells[5] = pool.Get(e.initiator_ip);
  cells[6] = pool.Get(e.initiator_app);
  cells[7] = pool.Get(e.target);
  cells[8] = OutcomeName(e.outcome);
  cells[9] = pool.Get(e.correlation_id);
  cells[10] = pool.Get(e.event_id);
  cells[11] = pool.Get(e.detail);
  cells[12] = pool.Get(e.signin_ip);
  cells[13] = pool.Get(e.identity_initiator_override);
  cells[14] = pool.Get(e.identity_target_override);
  cells[15] = e.helpdesk ? "true" : "";
  cells[16] = e.allowlisted ? "true" : "";
  arrival_text->clear();
  if (e.arrival != kNoArrival) FormatEpochSeconds(e.arrival, arrival_text);
  cells[17] = *arrival_text;
}

void WriteNormalizedCells(const EventView& e, std::string* time_text, std::string* arrival_text,
                          std::span<std::string_view, kVcColumnCount> cells) {
  // Once per output row: the digits go straight into *time_text's storage (sized once) and
  // the cell views them there, with no assign per row.
  if (time_text->size() != kEpochSecondsChars) time_text->resize(kEpochSecondsChars);
  cells[0] = FormatEpochSeconds(
      e.time, std::span<char, kEpochSecondsChars>(time_text->data(), kEpochSecondsChars));
  cells[1] = KindName(e.kind);
  cells[2] = SourceName(e.source);
  cells[3] = e.operation;
  cells[4] = e.initiator;
  cells[5] = e.initiator_ip;
  cells[6] = e.initiator_app;
  cells[7] = e.target;
  cells[8] = OutcomeName(e.outcome);
  cells[9] = e.correlation_id;
  cells[10] = e.event_id;
  cells[11] = e.detail;
  cells[12] = e.signin_ip;
  cells[13] = e.identity_initiator_override;
  cells[14] = e.identity_target_override;
  cells[15] = e.helpdesk ? "true" : "";
  cells[16] = e.allowlisted ? "true" : "";
  if (e.arrival == kNoArrival) {
    cells[17] = std::string_view();
  } else {
    if (arrival_text->size() != kEpochSecondsChars) arrival_text->resize(kEpochSecondsChars);
    cells[17] = FormatEpochSeconds(
        e.arrival, std::span<char, kEpochSecondsChars>(arrival_text->data(), kEpochSecondsChars));
  }
}

}  // namespace vd::events
