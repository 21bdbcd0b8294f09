#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/time.h"
#include "detect/finding_id.h"
#include "detect/findings.h"

namespace vd::detect {

// One output field: a single value, several (multivalue: the command writes the __mv_
// encoding), or none (an empty cell).
struct OutField {
  std::string name;
  std::vector<std::string> values;
};
using OutRecord = std::vector<OutField>;

// Receives one finding's fields in the order of FieldNames() (DESIGN.md §3.5): the common
// fields, then those of its kind. Writers that stream rows (the result CSV) implement it, so
// no per-field strings are built on their way out. Values are views valid during the call.
class FieldVisitor {
 public:
  virtual ~FieldVisitor() = default;
  // One value; an empty one is no value (an empty cell).
  virtual void Text(std::string_view name, std::string_view value) = 0;
  // Zero, one or several values (several: a multivalue field).
  virtual void List(std::string_view name, std::span<const std::string_view> values) = 0;
  // Epoch seconds (FormatEpochSeconds), decimal integers, "true"/"false".
  virtual void Time(std::string_view name, TimeMs t);
  virtual void Int(std::string_view name, int64_t v);
  virtual void Bool(std::string_view name, bool v);
};
// Visits one finding's fields. Templates over the visitor so a writer that is `final` gets
// plain inline calls (a large table visits millions of fields); any FieldVisitor works.
template <class Visitor>
void VisitBulk(const BulkFinding& f, Visitor* visitor);
template <class Visitor>
void VisitChain(const ChainFinding& f, Visitor* visitor);

// DESIGN.md §3.5 rows, in Findings order (bulk rows first, then chains). Every record lists
// every field of its kind, in the order of FieldNames(); times are epoch seconds
// (FormatEpochSeconds), booleans "true"/"false", empty strings become no value.
std::vector<OutRecord> ToRecords(const Findings& findings);
OutRecord BulkRecord(const BulkFinding& f);
OutRecord ChainRecord(const ChainFinding& f);

// The union of all field names, common fields first, then bulk, then chain: the column
// order for a result table holding both kinds of rows.
const std::vector<std::string>& FieldNames();

// One line for the INFO summary: "events=... admin_resets=... ...".
std::string FormatStats(const DetectStats& stats);

// ---- the fields, in FieldNames() order ------------------------------------------------------

namespace fields_internal {

inline constexpr std::string_view kBulkTechniques[] = {"T1598.004", "T1098"};
inline constexpr std::string_view kChainTechniques[] = {"T1598.004", "T1098.005", "T1556.006"};

// Fields every row has (§3.5 "all rows").
template <class Visitor>
void Common(Visitor* v, TimeMs time, std::string_view detection, uint64_t finding_id,
            Severity severity, std::string_view risk_object, std::string_view src_user,
            std::span<const std::string_view> users, std::string_view src,
            std::span<const std::string_view> techniques) {
  v->Time("_time", time);
  v->Text("detection", detection);
  char id[kFindingIdChars];
  v->Text("finding_id", FormatFindingId(finding_id, id));
  v->Text("severity", SeverityName(severity));
  v->Int("risk_score", RiskScore(severity));
  v->Text("risk_object", risk_object);
  v->Text("risk_object_type", "user");
  v->Text("src_user", src_user);
  v->List("user", users);
  v->Text("src", src);
  v->List("mitre_technique_id", techniques);
}

}  // namespace fields_internal

template <class Visitor>
void VisitBulk(const BulkFinding& f, Visitor* v) {
  // risk_object is the identity key (one risk object per person across sources, §3.5); the
  // printed spellings stay in src_user / user.
  fields_internal::Common(v, f.first_reset, "bulk_reset", f.finding_id, f.severity, f.initiator_key,
                          f.initiator, f.affected_accounts, f.src,
                          fields_internal::kBulkTechniques);
  v->Text("InitiatorAccount", f.initiator);
  v->Text("RiskScore", SeverityName(f.severity));
  v->Int("ResetCount", f.reset_count);
  v->Int("UniqueTargets", f.unique_targets);
  v->Int("FailedResets", f.failed_resets);
  v->Int("AllowlistedResets", f.allowlisted_resets);
  v->List("AffectedAccounts", f.affected_accounts);
  v->List("SourceIPs", f.source_ips);
  v->List("Sources", f.sources);
  v->List("RecoveryKinds", f.recovery_kinds);
  v->Time("FirstReset", f.first_reset);
  v->Time("LastReset", f.last_reset);
  v->Int("TimespanMinutes", f.timespan_minutes);
}

template <class Visitor>
void VisitChain(const ChainFinding& f, Visitor* v) {
  fields_internal::Common(v, f.reset_time, "reset_mfa_chain", f.finding_id, f.severity,
                          f.target_key, f.initiator_upn,
                          std::span<const std::string_view>(&f.target_user, 1), f.initiator_ip,
                          fields_internal::kChainTechniques);
  v->Time("ResetTime", f.reset_time);
  v->Time("MFATime", f.mfa_time);
  v->Int("MinutesBetween", f.minutes_between);
  v->Bool("HighConfidence", f.high_confidence);
  v->Text("TargetUser", f.target_user);
  v->Text("InitiatorUPN", f.initiator_upn);
  v->Text("InitiatorIPAddress", f.initiator_ip);
  v->Text("InitiatorAppName", f.initiator_app);
  v->Text("ResetOperation", f.reset_operation);
  v->Text("RecoveryKind", events::kKindNames[static_cast<size_t>(f.recovery_kind)]);
  v->Text("MFAOperation", f.mfa_operation);
  v->Text("MFADetail", f.mfa_detail);
  v->List("MFAOperations", f.mfa_operations);
  v->Int("MFAChangeCount", f.mfa_change_count);
  v->Text("ResetSource", events::NamesOf(f.reset_source).printed);
  v->Text("MFASource", events::NamesOf(f.mfa_source).printed);
  v->Bool("SignInAfterMFA", f.signin_after_mfa);
  v->Text("SignInIP", f.signin_ip);
  v->Text("SignInBaseline", f.signin_baseline == SigninBaseline::kKnown ? "known" : "none");
}

}  // namespace vd::detect
