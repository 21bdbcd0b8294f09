#include "events/signin_recognizer.h"

#include "events/json_doc.h"
#include "events/text_util.h"

namespace vd::events {
namespace {

bool IsSigninSourcetype(std::string_view st) {
  st = Trim(st);
  return EqualsIgnoreCase(st, "azure:aad:signin") || EqualsIgnoreCase(st, "ms:aad:signin") ||
         EqualsIgnoreCase(st, "ms:entra:signin");
}

}  // namespace

void SigninRecognizer::SetHeader(Header h) {
  graph_ = {FindColumn(h, "userPrincipalName"),
            FindColumn(h, "ipAddress"),
            FindColumn(h, "status.errorCode"),
            FindColumn(h, "createdDateTime"),
            FindColumn(h, "id"),
            FindColumn(h, "correlationId")};
  hub_ = {FindColumn(h, "properties.userPrincipalName"),
          FindColumn(h, "properties.ipAddress"),
          FindColumn(h, "properties.status.errorCode"),
          FindColumn(h, "properties.createdDateTime"),
          FindColumn(h, "properties.id"),
          FindColumn(h, "properties.correlationId")};
  sentinel_ = {FindColumn(h, "UserPrincipalName"),
               FindColumn(h, "IPAddress"),
               FindColumn(h, "ResultType"),
               FindColumn(h, "TimeGenerated"),
               FindColumn(h, "Id"),
               FindColumn(h, "CorrelationId")};
  raw_ = FindColumn(h, "_raw");
  category_ = FindColumn(h, "category");
  sourcetype_ = FindColumn(h, "sourcetype");
  operation_name_ = FindColumn(h, "operationName");
  result_type_ = FindColumn(h, "resultType");
  caller_ip_ = FindColumn(h, "callerIpAddress");
  time_ = FindColumn(h, "time");
  action_ = FindColumn(h, "action");
  correlation_ = FindColumn(h, "correlationId");
}

bool SigninRecognizer::Applies(Cells c) const {
  if (EndsWithIgnoreCase(Trim(CellAt(c, category_)), "SignInLogs")) return true;
  if (IsSigninSourcetype(CellAt(c, sourcetype_))) return true;
  // Without a category or sourcetype: a user plus a sign-in status is a sign-in record.
  if (!Trim(CellAt(c, graph_.upn)).empty() && !Trim(CellAt(c, graph_.error_code)).empty())
    return true;
  if (!Trim(CellAt(c, hub_.upn)).empty() && !Trim(CellAt(c, hub_.error_code)).empty()) return true;
  return !Trim(CellAt(c, sentinel_.upn)).empty() && !Trim(CellAt(c, sentinel_.error_code)).empty();
}

RecognizeResult SigninRecognizer::Recognize(Cells c, EventDraft* d) {
  const Columns* k = &graph_;
  if (!Trim(CellAt(c, hub_.upn)).empty()) {
    k = &hub_;
  } else if (Trim(CellAt(c, graph_.upn)).empty() && !Trim(CellAt(c, sentinel_.upn)).empty()) {
    k = &sentinel_;
  }
  std::string_view upn = Clean(CellAt(c, k->upn));
  std::string_view ip = Clean(CellAt(c, k->ip));
  std::string_view error_code = Trim(CellAt(c, k->error_code));
  std::string_view created = Trim(CellAt(c, k->created));

  if (upn.empty()) {
    // A sign-in sourcetype without JSON extraction: read _raw (Graph root or properties).
    std::string_view raw = Trim(CellAt(c, raw_));
    if (raw.empty()) return RecognizeResult::Skipped(SkipReason::kMissingTarget);
    if (raw.size() > kMaxParsedRawBytes) return RecognizeResult::Skipped(SkipReason::kOversized);
    if (raw.front() != '{' || !json_.Parse(raw))
      return RecognizeResult::Skipped(SkipReason::kMalformedRaw);
    const rapidjson::Value* r = &json_.root();
    const rapidjson::Value* p = JsonMember(r, "properties");
    if (p != nullptr && p->IsObject()) r = p;
    upn = Clean(JsonText(JsonMember(r, "userPrincipalName")));
    ip = Clean(JsonText(JsonMember(r, "ipAddress")));
    error_code = Trim(JsonText(JsonPath(r, {"status", "errorCode"})));
    created = Trim(JsonText(JsonMember(r, "createdDateTime")));
    if (upn.empty()) return RecognizeResult::Skipped(SkipReason::kMissingTarget);
  }
  if (ip.empty()) ip = Clean(CellAt(c, caller_ip_));

  // 0 = success; any other code is a failed or interrupted sign-in (50076 = MFA
  // required). A record with no status at all proves no successful sign-in.
  Outcome outcome = Outcome::kFailure;
  std::string_view result_type = Trim(CellAt(c, result_type_));
  std::string_view action = Trim(CellAt(c, action_));
  if (!error_code.empty()) {
    outcome = error_code == "0" ? Outcome::kSuccess : Outcome::kFailure;
  } else if (!result_type.empty()) {
    outcome = result_type == "0" ? Outcome::kSuccess : Outcome::kFailure;
  } else if (EqualsIgnoreCase(action, "success")) {
    outcome = Outcome::kSuccess;
  }

  d->kind = Kind::kSignin;
  d->source = Source::kEntra;
  d->outcome = outcome;
  d->operation = Trim(CellAt(c, operation_name_));
  if (d->operation.empty()) d->operation = "Sign-in activity";
  d->target = upn;
  d->initiator = upn;
  d->signin_ip = ip;
  d->event_id = Clean(CellAt(c, k->id));
  d->correlation_id = Clean(CellAt(c, k->correlation));
  if (d->correlation_id.empty()) d->correlation_id = Clean(CellAt(c, correlation_));
  d->source_time = created;
  if (d->source_time.empty()) d->source_time = Trim(CellAt(c, time_));
  return RecognizeResult::Recognized();
}

}  // namespace vd::events
