#include "detect/finding_fields.h"

#include <charconv>
#include <string_view>

#include "common/time.h"

namespace vd::detect {
namespace {

constexpr std::string_view kBulkTechniques[] = {"T1598.004", "T1098"};
constexpr std::string_view kChainTechniques[] = {"T1598.004", "T1098.005", "T1556.006"};

// Fields every row has (§3.5 "all rows").
void Common(FieldVisitor* v, TimeMs time, std::string_view detection, Severity severity,
            std::string_view risk_object, std::string_view src_user,
            std::span<const std::string_view> users, std::string_view src,
            std::span<const std::string_view> techniques) {
  v->Time("_time", time);
  v->Text("detection", detection);
  v->Text("severity", SeverityName(severity));
  v->Int("risk_score", RiskScore(severity));
  v->Text("risk_object", risk_object);
  v->Text("risk_object_type", "user");
  v->Text("src_user", src_user);
  v->List("user", users);
  v->Text("src", src);
  v->List("mitre_technique_id", techniques);
}

// Builds the OutRecord of one finding.
class RecordBuilder : public FieldVisitor {
 public:
  void Text(std::string_view name, std::string_view value) override {
    OutField f{std::string(name), {}};
    if (!value.empty()) f.values.emplace_back(value);
    record_.push_back(std::move(f));
  }
  void List(std::string_view name, std::span<const std::string_view> values) override {
    record_.push_back(OutField{std::string(name), {values.begin(), values.end()}});
  }
  OutRecord Take() { return std::move(record_); }

 private:
  OutRecord record_;
};

}  // namespace

void FieldVisitor::Time(std::string_view name, TimeMs t) { Text(name, FormatEpochSeconds(t)); }

void FieldVisitor::Int(std::string_view name, int64_t v) {
  char buf[24];
  char* end = std::to_chars(buf, buf + sizeof buf, v).ptr;
  Text(name, std::string_view(buf, static_cast<size_t>(end - buf)));
}

void FieldVisitor::Bool(std::string_view name, bool v) { Text(name, v ? "true" : "false"); }

void VisitBulk(const BulkFinding& f, FieldVisitor* v) {
  Common(v, f.first_reset, "bulk_reset", f.severity, f.initiator, f.initiator, f.affected_accounts,
         f.src, kBulkTechniques);
  v->Text("InitiatorAccount", f.initiator);
  v->Text("RiskScore", SeverityName(f.severity));
  v->Int("ResetCount", f.reset_count);
  v->Int("UniqueTargets", f.unique_targets);
  v->Int("FailedResets", f.failed_resets);
  v->Int("AllowlistedResets", f.allowlisted_resets);
  v->List("AffectedAccounts", f.affected_accounts);
  v->List("SourceIPs", f.source_ips);
  v->List("Sources", f.sources);
  v->Time("FirstReset", f.first_reset);
  v->Time("LastReset", f.last_reset);
  v->Int("TimespanMinutes", f.timespan_minutes);
}

void VisitChain(const ChainFinding& f, FieldVisitor* v) {
  Common(v, f.reset_time, "reset_mfa_chain", f.severity, f.target_user, f.initiator_upn,
         std::span<const std::string_view>(&f.target_user, 1), f.initiator_ip, kChainTechniques);
  v->Time("ResetTime", f.reset_time);
  v->Time("MFATime", f.mfa_time);
  v->Int("MinutesBetween", f.minutes_between);
  v->Bool("HighConfidence", f.high_confidence);
  v->Text("TargetUser", f.target_user);
  v->Text("InitiatorUPN", f.initiator_upn);
  v->Text("InitiatorIPAddress", f.initiator_ip);
  v->Text("InitiatorAppName", f.initiator_app);
  v->Text("ResetOperation", f.reset_operation);
  v->Text("MFAOperation", f.mfa_operation);
  v->Text("MFADetail", f.mfa_detail);
  v->List("MFAOperations", f.mfa_operations);
  v->Int("MFAChangeCount", f.mfa_change_count);
  v->Text("ResetSource", SourceName(f.reset_source));
  v->Text("MFASource", SourceName(f.mfa_source));
  v->Bool("SignInAfterMFA", f.signin_after_mfa);
  v->Text("SignInIP", f.signin_ip);
  v->Text("SignInBaseline", f.signin_baseline == SigninBaseline::kKnown ? "known" : "none");
}

OutRecord BulkRecord(const BulkFinding& f) {
  RecordBuilder b;
  VisitBulk(f, &b);
  return b.Take();
}

OutRecord ChainRecord(const ChainFinding& f) {
  RecordBuilder b;
  VisitChain(f, &b);
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
      "_time", "detection", "severity", "risk_score", "risk_object", "risk_object_type", "src_user",
      "user", "src", "mitre_technique_id",
      // bulk
      "InitiatorAccount", "RiskScore", "ResetCount", "UniqueTargets", "FailedResets",
      "AllowlistedResets", "AffectedAccounts", "SourceIPs", "Sources", "FirstReset", "LastReset",
      "TimespanMinutes",
      // chain
      "ResetTime", "MFATime", "MinutesBetween", "HighConfidence", "TargetUser", "InitiatorUPN",
      "InitiatorIPAddress", "InitiatorAppName", "ResetOperation", "MFAOperation", "MFADetail",
      "MFAOperations", "MFAChangeCount", "ResetSource", "MFASource", "SignInAfterMFA", "SignInIP",
      "SignInBaseline"};
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
