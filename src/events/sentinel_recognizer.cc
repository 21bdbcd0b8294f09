#include "events/sentinel_recognizer.h"

#include "events/activity.h"
#include "events/entra_targets.h"
#include "events/text_util.h"

namespace vd::events {

void SentinelRecognizer::SetHeader(Header h) {
  operation_ = FindColumn(h, "OperationName");
  activity_ = FindColumn(h, "ActivityDisplayName");
  time_generated_ = FindColumn(h, "TimeGenerated");
  activity_time_ = FindColumn(h, "ActivityDateTime");
  result_ = FindColumn(h, "Result");
  result_reason_ = FindColumn(h, "ResultReason");
  correlation_ = FindColumn(h, "CorrelationId");
  id_ = FindColumn(h, "Id");
  initiated_by_ = FindColumn(h, "InitiatedBy");
  target_resources_ = FindColumn(h, "TargetResources");
}

bool SentinelRecognizer::Applies(Cells c) const {
  bool named = !Trim(CellAt(c, operation_)).empty() || !Trim(CellAt(c, activity_)).empty();
  return named &&
         (!Trim(CellAt(c, initiated_by_)).empty() || !Trim(CellAt(c, target_resources_)).empty());
}

RecognizeResult SentinelRecognizer::Recognize(Cells c, EventDraft* d) {
  std::string_view activity = Trim(CellAt(c, operation_));
  if (activity.empty()) activity = Trim(CellAt(c, activity_));
  ActivityClass cls = ClassifyEntraActivity(activity);
  if (cls == ActivityClass::kIrrelevant) return RecognizeResult::Irrelevant();

  std::string_view targets_text = Trim(CellAt(c, target_resources_));
  if (targets_text.size() > kMaxParsedRawBytes)
    return RecognizeResult::Skipped(SkipReason::kOversized);
  if (targets_text.empty()) return RecognizeResult::Skipped(SkipReason::kMissingTarget);
  if (!targets_json_.Parse(targets_text) || !targets_json_.root().IsArray()) {
    return RecognizeResult::Skipped(SkipReason::kMalformedRaw);
  }
  const rapidjson::Value* targets = &targets_json_.root();

  std::string_view detail;
  if (cls == ActivityClass::kMfaIfStrongAuth) {
    std::string_view old_value, new_value;
    if (!StrongAuthFromJson(targets, &old_value, &new_value)) return RecognizeResult::Irrelevant();
    detail = StrongAuthDetail(old_value, new_value, true);
    cls = ActivityClass::kMfa;
  } else if (cls != ActivityClass::kReset && cls != ActivityClass::kCreated) {
    if (EqualsIgnoreCase(OperationStem(activity), "Disable Strong Authentication")) {
      detail = "StrongAuthenticationRequirement";
    } else {
      detail = Clean(CellAt(c, result_reason_));
      if (EqualsIgnoreCase(detail, "None")) detail = {};
    }
  }

  std::string_view target = UserTargetFromJson(targets);
  if (target.empty()) return RecognizeResult::Skipped(SkipReason::kMissingTarget);

  std::string_view initiated_text = Trim(CellAt(c, initiated_by_));
  if (initiated_text.size() > kMaxParsedRawBytes)
    return RecognizeResult::Skipped(SkipReason::kOversized);
  if (!initiated_text.empty()) {
    if (!initiated_json_.Parse(initiated_text))
      return RecognizeResult::Skipped(SkipReason::kMalformedRaw);
    const rapidjson::Value* root = &initiated_json_.root();
    d->initiator = Clean(JsonText(JsonPath(root, {"user", "userPrincipalName"})));
    d->initiator_ip = Clean(JsonText(JsonPath(root, {"user", "ipAddress"})));
    d->initiator_app = Clean(JsonText(JsonPath(root, {"app", "displayName"})));
  }

  std::string_view result = Trim(CellAt(c, result_));

  d->kind =
      cls == ActivityClass::kReset ? Kind::kReset : MfaSideKind(cls, detail, !d->initiator.empty());
  d->source = Source::kEntra;
  d->operation = activity;
  d->target = target;
  d->outcome = (!result.empty() && !EqualsIgnoreCase(result, "success")) ? Outcome::kFailure
                                                                         : Outcome::kSuccess;
  d->correlation_id = Clean(CellAt(c, correlation_));
  d->event_id = Clean(CellAt(c, id_));
  d->detail = detail;
  d->source_time = Trim(CellAt(c, time_generated_));
  if (d->source_time.empty()) d->source_time = Trim(CellAt(c, activity_time_));
  return RecognizeResult::Recognized();
}

}  // namespace vd::events
