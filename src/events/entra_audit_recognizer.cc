#include "events/entra_audit_recognizer.h"

#include <string>

#include "events/activity.h"
#include "events/entra_targets.h"
#include "events/text_util.h"

namespace vd::events {
namespace {

bool ResultIsFailure(std::string_view result) {
  result = Trim(result);
  return !result.empty() && !EqualsIgnoreCase(result, "success");
}

}  // namespace

void EntraAuditRecognizer::Columns::Resolve(Header h, std::string_view prefix, std::string* n) {
  auto col = [&](std::string_view field) {
    n->assign(prefix);
    n->append(field);
    return FindColumn(h, *n);
  };
  auto mv = [&](std::string_view field) {
    n->assign(prefix);
    n->append(field);
    return FindMvColumn(h, *n);
  };
  activity = col("activityDisplayName");
  time = col("activityDateTime");
  init_upn = col("initiatedBy.user.userPrincipalName");
  init_ip = col("initiatedBy.user.ipAddress");
  init_app = col("initiatedBy.app.displayName");
  result = col("result");
  result_reason = col("resultReason");
  correlation = col("correlationId");
  id = col("id");
  target_upn = mv("targetResources{}.userPrincipalName");
  target_type = mv("targetResources{}.type");
  target_type_cap = mv("targetResources{}.Type");
  mod_name = mv("targetResources{}.modifiedProperties{}.displayName");
}

void EntraAuditRecognizer::SetHeader(Header h) {
  std::string name;  // once per header, not per row
  graph_.Resolve(h, "", &name);
  hub_.Resolve(h, "properties.", &name);
  raw_ = FindColumn(h, "_raw");
  operation_name_ = FindColumn(h, "operationName");
  category_ = FindColumn(h, "category");
  time_ = FindColumn(h, "time");
  caller_ip_ = FindColumn(h, "callerIpAddress");
  correlation_ = FindColumn(h, "correlationId");
}

bool EntraAuditRecognizer::Applies(Cells c) const {
  return !Trim(CellAt(c, graph_.activity)).empty() || !Trim(CellAt(c, hub_.activity)).empty() ||
         !Trim(CellAt(c, operation_name_)).empty();
}

const rapidjson::Value* EntraAuditRecognizer::RawTargets(std::string_view raw, bool* ok) {
  if (!raw_parsed_) {
    raw_parsed_ = true;
    raw = Trim(raw);
    raw_ok_ =
        !raw.empty() && raw.front() == '{' && raw.size() <= kMaxParsedRawBytes && json_.Parse(raw);
  }
  *ok = raw_ok_;
  if (!raw_ok_) return nullptr;
  const rapidjson::Value* t = JsonMember(&json_.root(), "targetResources");
  if (t == nullptr) t = JsonPath(&json_.root(), {"properties", "targetResources"});
  return t;
}

RecognizeResult EntraAuditRecognizer::Recognize(Cells c, EventDraft* d) {
  raw_parsed_ = false;
  const Columns* k = !Trim(CellAt(c, hub_.activity)).empty() ? &hub_ : &graph_;
  std::string_view activity = Trim(CellAt(c, k->activity));
  if (activity.empty()) activity = Trim(CellAt(c, operation_name_));
  ActivityClass cls = ClassifyEntraActivity(activity);
  if (cls == ActivityClass::kIrrelevant || cls == ActivityClass::kSignin ||
      cls == ActivityClass::kSigninFailed) {
    return RecognizeResult::Irrelevant();
  }
  std::string_view raw = CellAt(c, raw_);
  if (raw.size() > kMaxParsedRawBytes && cls == ActivityClass::kMfaIfStrongAuth) {
    return RecognizeResult::Skipped(SkipReason::kOversized);
  }

  std::string_view detail;
  if (cls == ActivityClass::kMfaIfStrongAuth) {
    bool ok = false;
    const rapidjson::Value* targets = RawTargets(raw, &ok);
    std::string_view old_value, new_value;
    if (ok) {
      if (!StrongAuthFromJson(targets, &old_value, &new_value))
        return RecognizeResult::Irrelevant();
      detail = StrongAuthDetail(old_value, new_value, true);
    } else {
      names_.Split(c, k->mod_name);
      if (names_.IndexOf(kStrongAuthMethod) >= names_.size()) {
        if (!Trim(raw).empty() && names_.size() == 0) {
          return RecognizeResult::Skipped(SkipReason::kMalformedRaw);
        }
        return RecognizeResult::Irrelevant();
      }
      // oldValue is null for "Included Updated Properties", so old/new lists never line
      // up reliably in the extraction: without _raw only the property name is known.
      detail = StrongAuthDetail({}, {}, false);
    }
    cls = ActivityClass::kMfa;
  } else if (cls != ActivityClass::kReset && cls != ActivityClass::kCreated) {
    if (EqualsIgnoreCase(OperationStem(activity), "Disable Strong Authentication")) {
      detail = "StrongAuthenticationRequirement";
    } else {
      detail = Clean(CellAt(c, k->result_reason));
      if (EqualsIgnoreCase(detail, "None")) detail = {};
    }
  }

  // Target: the entry of type User.
  upns_.Split(c, k->target_upn);
  bool types_present = k->target_type.present() || k->target_type_cap.present();
  if (types_.Split(c, k->target_type) == 0) types_.Split(c, k->target_type_cap);
  std::string_view target;
  if (!UserTargetFromMv(upns_, types_, types_present, &target) || target.empty()) {
    bool ok = false;
    const rapidjson::Value* targets = RawTargets(raw, &ok);
    if (ok) {
      target = UserTargetFromJson(targets);
    } else if (upns_.size() == 1) {
      target = Clean(upns_[0]);  // no _raw to ask: a lone UPN is the only candidate
    } else if (!Trim(raw).empty()) {
      return RecognizeResult::Skipped(SkipReason::kMalformedRaw);
    }
  }
  if (target.empty()) return RecognizeResult::Skipped(SkipReason::kMissingTarget);

  d->source = Source::kEntra;
  d->operation = activity;
  d->target = target;
  d->initiator = Clean(CellAt(c, k->init_upn));
  d->initiator_app = Clean(CellAt(c, k->init_app));
  d->kind =
      cls == ActivityClass::kReset ? Kind::kReset : MfaSideKind(cls, detail, !d->initiator.empty());
  d->initiator_ip = Clean(CellAt(c, k->init_ip));
  if (d->initiator_ip.empty()) d->initiator_ip = Clean(CellAt(c, caller_ip_));
  d->outcome = ResultIsFailure(CellAt(c, k->result)) ? Outcome::kFailure : Outcome::kSuccess;
  d->correlation_id = Clean(CellAt(c, k->correlation));
  if (d->correlation_id.empty()) d->correlation_id = Clean(CellAt(c, correlation_));
  d->event_id = Clean(CellAt(c, k->id));
  d->detail = detail;
  d->source_time = Trim(CellAt(c, k->time));
  if (d->source_time.empty()) d->source_time = Trim(CellAt(c, time_));
  return RecognizeResult::Recognized();
}

}  // namespace vd::events
