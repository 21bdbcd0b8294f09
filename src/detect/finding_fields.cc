#include "detect/finding_fields.h"

#include <charconv>
#include <string_view>

#include "common/time.h"

namespace vd::detect {
namespace {

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
      "_time", "detection", "finding_id", "severity", "risk_score", "risk_object",
      "risk_object_type", "src_user", "user", "src", "mitre_technique_id",
      // bulk
      "InitiatorAccount", "RiskScore", "ResetCount", "UniqueTargets", "FailedResets",
      "AllowlistedResets", "AffectedAccounts", "SourceIPs", "Sources", "RecoveryKinds",
      "FirstReset", "LastReset", "TimespanMinutes",
      // chain
      "ResetTime", "MFATime", "MinutesBetween", "HighConfidence", "TargetUser", "InitiatorUPN",
      "InitiatorIPAddress", "InitiatorAppName", "ResetOperation", "RecoveryKind", "MFAOperation",
      "MFADetail", "MFAOperations", "MFAChangeCount", "ResetSource", "MFASource", "SignInAfterMFA",
      "SignInIP", "SignInBaseline"};
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
  if (s.known_ips_in > 0) add("known_ips", s.known_ips);
  if (s.reported_earlier > 0) add("reported_earlier", s.reported_earlier);
  return out;
}

}  // namespace vd::detect
