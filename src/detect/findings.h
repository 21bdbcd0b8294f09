#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "common/string_pool.h"
#include "common/time.h"
#include "detect/options.h"
#include "events/identity_event.h"

namespace vd::detect {

enum class Severity : uint8_t { kLow, kMedium, kHigh, kCritical };

// Texts in findings are views: into the StringPool the events were interned in, or static
// names (events::NamesOf(source).printed). A finding must not outlive that pool. Tens of thousands
// of findings of a large search are written straight out, so none of their texts is copied on the
// way.

// A bulk-reset incident (DESIGN.md §3.3): one initiator, one fixed bin or one greedy peak
// window. Persons are printed spellings (§3.2); lists are distinct and sorted by text.
struct BulkFinding {
  std::string_view initiator;      // InitiatorAccount / src_user / risk_object
  std::string_view initiator_key;  // identity key: risk_object, the last sort key of §3.5
  // §3.7: stable as a search window slides (FindingId of the initiator key and the incident's
  // first recovery event).
  uint64_t finding_id = 0;
  // The newest arrival (_indextime, else _time) of the incident's recoveries, and of the chain
  // that raised it (mode=all): report_since.
  TimeMs newest_arrival = 0;
  Severity severity = Severity::kLow;
  bool helpdesk_named = false;     // helpdesk_regex on the spelling, or vc_helpdesk
  bool raised_by_chain = false;    // mode=all: holds a reset that starts a chain
  int64_t reset_count = 0;         // admin resets after dedup (allow-listed ones excluded)
  int64_t unique_targets = 0;      // distinct target keys
  int64_t failed_resets = 0;       // failed admin resets in [first_reset, last_reset]
  int64_t allowlisted_resets = 0;  // allow-listed resets in [first_reset, last_reset]
  std::vector<std::string_view> affected_accounts;  // printed target spellings
  std::vector<std::string_view> source_ips;         // initiator IPs, non-empty ones
  std::vector<std::string_view> sources;            // "AD", "O365", "Entra", "Other"
  std::vector<std::string_view> recovery_kinds;     // RecoveryKinds: vc_kind names, sorted
  TimeMs first_reset = 0;
  TimeMs last_reset = 0;
  int64_t timespan_minutes = 0;  // round((last - first) / 60 s), the seed's rounding
  std::string_view src;          // initiator IP of the earliest reset that has one
};

enum class SigninBaseline : uint8_t { kNone, kKnown };

// A reset -> MFA (-> sign-in) chain row (DESIGN.md §3.4).
struct ChainFinding {
  TimeMs reset_time = 0;
  TimeMs mfa_time = 0;
  int64_t minutes_between = 0;  // floor((m - r) / 60 s): elapsed minutes
  bool high_confidence = false;
  Severity severity = Severity::kMedium;
  std::string_view target_user;  // printed spelling of the target
  std::string_view target_key;   // identity key: risk_object, a sort key of §3.5
  // §3.7: FindingId of the target key, the recovery event and the MFA event.
  uint64_t finding_id = 0;
  // The newest arrival of the recovery, the MFA change and the sign-in that fired (if any).
  TimeMs newest_arrival = 0;
  std::string_view initiator_upn;  // printed spelling of the reset's initiator
  std::string_view initiator_ip;
  std::string_view initiator_app;
  std::string_view reset_operation;
  events::Kind recovery_kind = events::Kind::kReset;  // RecoveryKind: the start's kind
  std::string_view mfa_operation;
  std::string_view mfa_detail;
  std::vector<std::string_view> mfa_operations;  // distinct, sorted: every MFA change in window
  int64_t mfa_change_count = 0;                  // MFA changes (after dedup) in the window
  events::Source reset_source = events::Source::kOther;
  events::Source mfa_source = events::Source::kOther;
  bool signin_after_mfa = false;
  std::string_view signin_ip;
  SigninBaseline signin_baseline = SigninBaseline::kNone;
  // Positions of the reset and MFA event in the analysis' total event order: the final
  // tie-break of the output order (two initiators resetting one target at one instant).
  uint32_t reset_rank = 0;
  uint32_t mfa_rank = 0;
};

// Counts for the command's INFO summary.
struct DetectStats {
  int64_t events_in = 0;
  int64_t resets_in = 0;  // recovery events received (any kind and outcome)
  int64_t mfa_in = 0;
  int64_t signins_in = 0;
  int64_t created_in = 0;           // account creations received (context only)
  int64_t duplicate_event_ids = 0;  // exact duplicates (same kind and event id) collapsed
  int64_t missing_identity = 0;     // no initiator or target key: cannot be used
  int64_t self_service = 0;         // reset with initiator == target: never an admin reset
  int64_t resets_merged = 0;        // admin-reset events folded into another by dedup
  int64_t admin_resets = 0;         // successful admin resets after dedup
  int64_t allowlisted_resets = 0;   // of those, allow-listed
  int64_t failed_resets = 0;        // failed admin resets after dedup
  int64_t mfa_merged = 0;
  int64_t mfa_changes = 0;     // successful MFA changes after dedup
  int64_t mfa_failed = 0;      // failed MFA changes: ignored
  int64_t signins = 0;         // successful sign-ins kept
  int64_t signins_failed = 0;  // failed sign-ins: ignored
  int64_t known_ips_in = 0;    // vc_kind=known_ip rows received
  int64_t known_ips = 0;       // of those, with a target and an address: the baseline
  // report_since: findings left out because their newest contributing event arrived before it.
  int64_t reported_earlier = 0;
};

struct Findings {
  std::vector<BulkFinding> bulk;     // §3.5 order: UniqueTargets desc, FirstReset, key
  std::vector<ChainFinding> chains;  // HighConfidence desc, ResetTime desc, key, MFATime
  DetectStats stats;
};

// The whole analysis: dedup, bulk incidents (unless mode=chain), chains (unless mode=bulk).
// Pure and deterministic: the result depends on the events' content only, never on their
// order or on interning order. `pool` holds every StrId the events carry, and the findings'
// texts are views into it.
Findings Analyze(std::span<const events::IdentityEvent> events, const StringPool& pool,
                 const Options& options);

int RiskScore(Severity s);             // critical 100, high 75, medium 50, low 25
const char* SeverityName(Severity s);  // "critical", "high", "medium", "low"

}  // namespace vd::detect
