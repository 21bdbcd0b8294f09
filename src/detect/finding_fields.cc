#include "detect/finding_fields.h"

#include <string_view>

#include "common/time.h"

namespace vd::detect {
namespace {

class RecordBuilder {
 public:
  RecordBuilder& One(std::string_view name, std::string value) {
    OutField f{std::string(name), {}};
    if (!value.empty()) f.values.push_back(std::move(value));
    record_.push_back(std::move(f));
    return *this;
  }
  RecordBuilder& Many(std::string_view name, std::vector<std::string> values) {
    record_.push_back(OutField{std::string(name), std::move(values)});
    return *this;
  }
  RecordBuilder& Time(std::string_view name, TimeMs t) { return One(name, FormatEpochSeconds(t)); }
  RecordBuilder& Int(std::string_view name, int64_t v) { return One(name, std::to_string(v)); }
  RecordBuilder& Bool(std::string_view name, bool v) { return One(name, v ? "true" : "false"); }
  OutRecord Take() { return std::move(record_); }

 private:
  OutRecord record_;
};

// Fields every row has (§3.5 "all rows").
void Common(RecordBuilder* b, TimeMs time, const char* detection, Severity severity,
            const std::string& risk_object, const std::string& src_user,
            std::vector<std::string> users, const std::string& src,
            std::vector<std::string> techniques) {
  b->Time("_time", time)
      .One("detection", detection)
      .One("severity", SeverityName(severity))
      .Int("risk_score", RiskScore(severity))
      .One("risk_object", risk_object)
      .One("risk_object_type", "user")
      .One("src_user", src_user)
      .Many("user", std::move(users))
      .One("src", src)
      .Many("mitre_technique_id", std::move(techniques));
}

}  // namespace

OutRecord BulkRecord(const BulkFinding& f) {
  RecordBuilder b;
  Common(&b, f.first_reset, "bulk_reset", f.severity, f.initiator, f.initiator,
         f.affected_accounts, f.src, {"T1598.004", "T1098"});
  b.One("InitiatorAccount", f.initiator)
      .One("RiskScore", SeverityName(f.severity))
      .Int("ResetCount", f.reset_count)
      .Int("UniqueTargets", f.unique_targets)
      .Int("FailedResets", f.failed_resets)
      .Int("AllowlistedResets", f.allowlisted_resets)
      .Many("AffectedAccounts", f.affected_accounts)
      .Many("SourceIPs", f.source_ips)
      .Many("Sources", f.sources)
      .Time("FirstReset", f.first_reset)
      .Time("LastReset", f.last_reset)
      .Int("TimespanMinutes", f.timespan_minutes);
  return b.Take();
}

OutRecord ChainRecord(const ChainFinding& f) {
  RecordBuilder b;
  Common(&b, f.reset_time, "reset_mfa_chain", f.severity, f.target_user, f.initiator_upn,
         {f.target_user}, f.initiator_ip, {"T1598.004", "T1098.005", "T1556.006"});
  b.Time("ResetTime", f.reset_time)
      .Time("MFATime", f.mfa_time)
      .Int("MinutesBetween", f.minutes_between)
      .Bool("HighConfidence", f.high_confidence)
      .One("TargetUser", f.target_user)
      .One("InitiatorUPN", f.initiator_upn)
      .One("InitiatorIPAddress", f.initiator_ip)
      .One("InitiatorAppName", f.initiator_app)
      .One("ResetOperation", f.reset_operation)
      .One("MFAOperation", f.mfa_operation)
      .One("MFADetail", f.mfa_detail)
      .Many("MFAOperations", f.mfa_operations)
      .Int("MFAChangeCount", f.mfa_change_count)
      .One("ResetSource", SourceName(f.reset_source))
      .One("MFASource", SourceName(f.mfa_source))
      .Bool("SignInAfterMFA", f.signin_after_mfa)
      .One("SignInIP", f.signin_ip)
      .One("SignInBaseline", f.signin_baseline == SigninBaseline::kKnown ? "known" : "none");
  return b.Take();
}

std::vector<OutRecord> ToRecords(const Findings& findings) {
  std::vector<OutRecord> out;
  out.reserve(findings.bulk.size() + findings.chains.size());
  for (const BulkFinding& f : findings.bulk) out.push_back(BulkRecord(f));
  for (const ChainFinding& f : findings.chains) out.push_back(ChainRecord(f));
  return out;
}

const std::vector<std::string>& FieldNames() {
  static const std::vector<std::string> kNames = {
      "_time", "detection", "severity", "risk_score", "risk_object", "risk_object_type",
      "src_user", "user", "src", "mitre_technique_id",
      // bulk
      "InitiatorAccount", "RiskScore", "ResetCount", "UniqueTargets", "FailedResets",
      "AllowlistedResets", "AffectedAccounts", "SourceIPs", "Sources", "FirstReset",
      "LastReset", "TimespanMinutes",
      // chain
      "ResetTime", "MFATime", "MinutesBetween", "HighConfidence", "TargetUser",
      "InitiatorUPN", "InitiatorIPAddress", "InitiatorAppName", "ResetOperation",
      "MFAOperation", "MFADetail", "MFAOperations", "MFAChangeCount", "ResetSource",
      "MFASource", "SignInAfterMFA", "SignInIP", "SignInBaseline"};
  return kNames;
}

std::string FormatStats(const DetectStats& s) {
  std::string out;
  auto add = [&](const char* name, int64_t v) {
    if (!out.empty()) out += ' ';
    out += name;
    out += '=';
    out += std::to_string(v);
  };
  add("events", s.events_in);
  add("reset_events", s.resets_in);
  add("mfa_events", s.mfa_in);
  add("signin_events", s.signins_in);
  add("duplicate_event_ids", s.duplicate_event_ids);
  add("missing_identity", s.missing_identity);
  add("self_service_resets", s.self_service);
  add("reset_events_merged", s.resets_merged);
  add("admin_resets", s.admin_resets);
  add("allowlisted_resets", s.allowlisted_resets);
  add("failed_resets", s.failed_resets);
  add("mfa_events_merged", s.mfa_merged);
  add("mfa_changes", s.mfa_changes);
  add("failed_mfa_changes", s.mfa_failed);
  add("signins", s.signins);
  add("failed_signins", s.signins_failed);
  return out;
}

}  // namespace vd::detect
