#include "events/o365_recognizer.h"

#include "events/activity.h"
#include "events/text_util.h"

namespace vd::events {
namespace {

// The first ID of IdentityType 5 (UPN) in an Actor{} / Target{} list, or the first ID
// when the types do not line up.
std::string_view UpnOf(MvSplitter& ids, MvSplitter& types) {
  if (ids.size() == 0) return {};
  if (types.size() == ids.size()) {
    for (size_t i = 0; i < ids.size(); ++i) {
      if (Trim(types[i]) == "5") return Clean(ids[i]);
    }
    return {};
  }
  return Clean(ids[0]);
}

bool ResultIsFailure(std::string_view status) {
  status = Trim(status);
  return StartsWithIgnoreCase(status, "fail") || EqualsIgnoreCase(status, "false") ||
         StartsWithIgnoreCase(status, "partial");
}

}  // namespace

void O365Recognizer::SetHeader(Header h) {
  raw_ = FindColumn(h, "_raw");
  operation_ = FindColumn(h, "Operation");
  user_id_ = FindColumn(h, "UserId");
  object_id_ = FindColumn(h, "ObjectId");
  client_ip_ = FindColumn(h, "ClientIP");
  actor_ip_ = FindColumn(h, "ActorIpAddress");
  result_status_ = FindColumn(h, "ResultStatus");
  id_ = FindColumn(h, "Id");
  intra_system_id_ = FindColumn(h, "IntraSystemId");
  creation_time_ = FindColumn(h, "CreationTime");
  actor_id_ = FindMvColumn(h, "Actor{}.ID");
  actor_type_ = FindMvColumn(h, "Actor{}.Type");
  target_id_ = FindMvColumn(h, "Target{}.ID");
  target_type_ = FindMvColumn(h, "Target{}.Type");
  mod_name_ = FindMvColumn(h, "ModifiedProperties{}.Name");
  mod_new_ = FindMvColumn(h, "ModifiedProperties{}.NewValue");
  mod_old_ = FindMvColumn(h, "ModifiedProperties{}.OldValue");
}

bool O365Recognizer::Applies(Cells c) const { return !Trim(CellAt(c, operation_)).empty(); }

bool O365Recognizer::StrongAuthFromRaw(std::string_view raw, bool* present,
                                       std::string_view* old_value, std::string_view* new_value) {
  raw = Trim(raw);
  if (raw.empty() || raw.front() != '{' || raw.size() > kMaxParsedRawBytes || !json_.Parse(raw)) {
    return false;
  }
  *present = false;
  const rapidjson::Value* props = JsonMember(&json_.root(), "ModifiedProperties");
  if (props == nullptr || !props->IsArray()) return true;
  for (const auto& p : props->GetArray()) {
    if (JsonText(JsonMember(&p, "Name")) == kStrongAuthMethod) {
      *present = true;
      *old_value = JsonText(JsonMember(&p, "OldValue"));
      *new_value = JsonText(JsonMember(&p, "NewValue"));
      return true;
    }
  }
  return true;
}

RecognizeResult O365Recognizer::Recognize(Cells c, EventDraft* d) {
  std::string_view operation = Trim(CellAt(c, operation_));
  ActivityClass cls = ClassifyO365Operation(operation);
  if (cls == ActivityClass::kIrrelevant) return RecognizeResult::Irrelevant();
  std::string_view raw = CellAt(c, raw_);

  std::string_view detail;
  if (cls == ActivityClass::kMfaIfStrongAuth) {
    // _raw first: ModifiedProperties values hold "\r\n", so the '\n'-joined columns do
    // not line up unless Splunk also sent the __mv_ encoding.
    bool present = false;
    std::string_view old_value, new_value;
    if (StrongAuthFromRaw(raw, &present, &old_value, &new_value)) {
      if (!present) return RecognizeResult::Irrelevant();
      detail = StrongAuthDetail(old_value, new_value, true);
    } else {
      size_t n = names_.Split(c, mod_name_);
      size_t at = names_.IndexOf(kStrongAuthMethod);
      if (at >= n) {
        if (!Trim(raw).empty() && n == 0)
          return RecognizeResult::Skipped(SkipReason::kMalformedRaw);
        return RecognizeResult::Irrelevant();
      }
      bool aligned = olds_.Split(c, mod_old_) == n && news_.Split(c, mod_new_) == n;
      detail =
          aligned ? StrongAuthDetail(olds_[at], news_[at], true) : StrongAuthDetail({}, {}, false);
    }
    cls = ActivityClass::kMfa;
  } else if (cls == ActivityClass::kMfaReset) {
    detail = "StrongAuthenticationRequirement";
  }

  std::string_view user_id = Clean(CellAt(c, user_id_));
  std::string_view object_id = Clean(CellAt(c, object_id_));
  if (user_id.empty()) {
    ids_.Split(c, actor_id_);
    types_.Split(c, actor_type_);
    user_id = UpnOf(ids_, types_);
  }
  std::string_view ip = Clean(CellAt(c, client_ip_));
  if (ip.empty()) ip = Clean(CellAt(c, actor_ip_));
  std::string_view result_status = CellAt(c, result_status_);

  d->source = Source::kO365;
  d->operation = operation;
  d->event_id = Clean(CellAt(c, id_));
  // IntraSystemId is Entra's id for the request: the reset and its "Update
  // StsRefreshTokenValidFrom Timestamp." companion share it (beats sample, 2021-02-04).
  d->correlation_id = Clean(CellAt(c, intra_system_id_));
  d->source_time = Trim(CellAt(c, creation_time_));

  if (cls == ActivityClass::kSignin || cls == ActivityClass::kSigninFailed) {
    // For sign-ins ObjectId is the resource (an application id); the user is UserId.
    d->kind = Kind::kSignin;
    d->target = user_id;
    d->initiator = user_id;
    d->signin_ip = ip;
    d->outcome = (cls == ActivityClass::kSigninFailed || ResultIsFailure(result_status))
                     ? Outcome::kFailure
                     : Outcome::kSuccess;
    if (d->target.empty()) return RecognizeResult::Skipped(SkipReason::kMissingTarget);
    return RecognizeResult::Recognized();
  }

  if (object_id.empty()) {
    ids_.Split(c, target_id_);
    types_.Split(c, target_type_);
    object_id = UpnOf(ids_, types_);
  }

  d->kind =
      cls == ActivityClass::kReset ? Kind::kReset : MfaSideKind(cls, detail, !user_id.empty());
  d->initiator = user_id;
  d->initiator_ip = ip;
  d->target = object_id;
  d->detail = detail;
  d->outcome = ResultIsFailure(result_status) ? Outcome::kFailure : Outcome::kSuccess;
  if (d->target.empty()) return RecognizeResult::Skipped(SkipReason::kMissingTarget);
  return RecognizeResult::Recognized();
}

}  // namespace vd::events
