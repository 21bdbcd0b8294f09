// DESIGN.md §3.7: finding_id is stable as a search window slides, and report_since keeps only
// findings whose newest contributing event arrived at or after it.
#include "detect/finding_id.h"

#include <algorithm>
#include <deque>
#include <set>

#include <gtest/gtest.h>

#include "detect/findings.h"
#include "scenario.h"

namespace vd::detect::testing {
namespace {

constexpr const char* kHelpdesk = "helpdesk.op@contoso.com";
constexpr const char* kVictim = "jdoe@contoso.com";

// A fresh scenario kept for the test run (the findings' texts are views into its pool).
Scenario& Fresh() {
  static std::deque<Scenario> kept;
  return kept.emplace_back();
}

// `e` of `from`, its strings interned into `to`.
void CopyEvent(const Scenario& from, IdentityEvent e, Scenario* to) {
  for (StrId* id : {&e.operation, &e.initiator, &e.initiator_ip, &e.initiator_app, &e.target,
                    &e.correlation_id, &e.event_id, &e.detail, &e.signin_ip, &e.initiator_key,
                    &e.target_key, &e.identity_initiator_override, &e.identity_target_override}) {
    *id = to->S(from.pool.Get(*id));
  }
  to->events.push_back(e);
}

// The events of `sc` with time in [from, to]: what a search over that window receives.
Scenario& Slice(const Scenario& sc, TimeMs from, TimeMs to) {
  Scenario& out = Fresh();
  for (const IdentityEvent& e : sc.events) {
    if (e.time >= from && e.time <= to) CopyEvent(sc, e, &out);
  }
  return out;
}

TEST(FindingIdTest, FormatsAsSixteenHexDigits) {
  char buf[kFindingIdChars];
  EXPECT_EQ(FormatFindingId(0x0123456789abcdefull, buf), "0123456789abcdef");
  EXPECT_EQ(FormatFindingId(0, buf), "0000000000000000");
}

TEST(FindingIdTest, AChainKeepsItsIdAsTheWindowSlides) {
  Scenario sc;
  sc.Reset(At(6, 0), kHelpdesk, "other@contoso.com");
  sc.Mfa(At(6, 10), "other@contoso.com");
  sc.Reset(At(10, 0), kHelpdesk, kVictim);
  sc.Mfa(At(10, 12), kVictim);
  sc.Mfa(At(11, 0), kVictim, "User deleted security info");
  Options o = DefaultOptions();
  Scenario& wide = (Slice(sc, At(5, 0), At(15, 0)));
  Scenario& narrow = (Slice(sc, At(9, 30), At(10, 30)));
  Findings a = wide.Run(o), b = narrow.Run(o);
  auto victim = [](const Findings& f) {
    auto it = std::find_if(f.chains.begin(), f.chains.end(),
                           [](const ChainFinding& c) { return c.target_user == kVictim; });
    EXPECT_NE(it, f.chains.end());
    return it == f.chains.end() ? ChainFinding{} : *it;
  };
  ASSERT_EQ(a.chains.size(), 2u);
  ASSERT_EQ(b.chains.size(), 1u);
  EXPECT_EQ(victim(a).mfa_change_count, 2);
  EXPECT_EQ(victim(b).mfa_change_count, 1);
  EXPECT_EQ(victim(a).finding_id, victim(b).finding_id);
  EXPECT_NE(a.chains[0].finding_id, a.chains[1].finding_id);
}

TEST(FindingIdTest, ABulkIncidentKeepsItsIdAndDependsOnItsFirstReset) {
  Scenario sc;
  for (int i = 0; i < 4; ++i) sc.Reset(At(9, 5 * i), kHelpdesk, "u" + std::to_string(i));
  sc.Reset(At(13, 0), kHelpdesk, "later1");
  sc.Reset(At(13, 5), kHelpdesk, "later2");
  Options o = DefaultOptions();
  o.mode = Mode::kBulk;
  Findings whole = (Slice(sc, At(8, 0), At(14, 0))).Run(o);
  Findings early = (Slice(sc, At(8, 0), At(10, 0))).Run(o);
  ASSERT_EQ(whole.bulk.size(), 2u);
  ASSERT_EQ(early.bulk.size(), 1u);
  EXPECT_EQ(whole.bulk[0].unique_targets, 4);
  EXPECT_EQ(whole.bulk[0].finding_id, early.bulk[0].finding_id);
  EXPECT_NE(whole.bulk[0].finding_id, whole.bulk[1].finding_id);
  // Without its first reset it is another finding (report_since keeps it from alerting).
  Findings cut = (Slice(sc, At(9, 1), At(10, 0))).Run(o);
  ASSERT_EQ(cut.bulk.size(), 1u);
  EXPECT_NE(cut.bulk[0].finding_id, early.bulk[0].finding_id);
}

TEST(FindingIdTest, IdsDoNotDependOnInputOrderOrInterning) {
  Scenario sc;
  for (int i = 0; i < 3; ++i) sc.Reset(At(9, 5 * i), kHelpdesk, "u" + std::to_string(i));
  sc.Mfa(At(9, 20), "u1");
  sc.Reset(At(12, 0), "CONTOSO\\ad.admin", kVictim, "4724", Source::kAd).event_id =
      kEmptyStr;  // no event id: time and operation stand for it
  sc.Mfa(At(12, 30), kVictim);
  Findings a = sc.Run(DefaultOptions());
  Scenario& reversed = Fresh();
  for (auto it = sc.events.rbegin(); it != sc.events.rend(); ++it) CopyEvent(sc, *it, &reversed);
  Findings b = reversed.Run(DefaultOptions());
  ASSERT_EQ(a.bulk.size(), 1u);
  ASSERT_EQ(a.chains.size(), 2u);
  ASSERT_EQ(b.bulk.size(), 1u);
  ASSERT_EQ(b.chains.size(), 2u);
  EXPECT_EQ(a.bulk[0].finding_id, b.bulk[0].finding_id);
  std::set<uint64_t> ia = {a.chains[0].finding_id, a.chains[1].finding_id};
  std::set<uint64_t> ib = {b.chains[0].finding_id, b.chains[1].finding_id};
  EXPECT_EQ(ia, ib);
  EXPECT_EQ(ia.size(), 2u);
}

TEST(ReportSinceTest, KeepsFindingsWhoseNewestContributingEventArrivedSinceThen) {
  Scenario sc;
  for (int i = 0; i < 3; ++i) sc.Reset(At(9, 5 * i), "opsadmin", "u" + std::to_string(i));
  sc.Signin(At(8, 0), kVictim, "10.0.0.1");
  sc.Reset(At(10, 0), kHelpdesk, kVictim);
  sc.Mfa(At(10, 12), kVictim);
  sc.Signin(At(11, 0), kVictim, "203.0.113.9");  // the new-IP sign-in: newest of the chain
  Options o = DefaultOptions();
  o.mode = Mode::kChain;
  o.report_since = At(10, 30);
  Findings f = sc.Run(o);
  ASSERT_EQ(f.chains.size(), 1u);
  EXPECT_TRUE(f.chains[0].signin_after_mfa);
  EXPECT_EQ(f.chains[0].newest_arrival, At(11, 0));
  o.report_since = At(11, 0) + 1;
  EXPECT_TRUE(sc.Run(o).chains.empty());

  o.mode = Mode::kBulk;
  o.report_since = At(9, 10);  // opsadmin's last reset arrived then: at, not after, is kept
  Findings bulk = sc.Run(o);
  ASSERT_EQ(bulk.bulk.size(), 2u);
  EXPECT_EQ(bulk.bulk[0].initiator, "opsadmin");
  EXPECT_EQ(bulk.bulk[0].newest_arrival, At(9, 10));
  o.report_since = At(9, 10) + 1;
  Findings later = sc.Run(o);
  ASSERT_EQ(later.bulk.size(), 1u);
  EXPECT_EQ(later.bulk[0].initiator, kHelpdesk);
  EXPECT_EQ(later.stats.reported_earlier, 1);
}

TEST(ReportSinceTest, TheChainThatRaisesAnIncidentCountsAsContributing) {
  Scenario sc;
  sc.Reset(At(9, 0), "opsadmin", "a@contoso.com");
  sc.Reset(At(9, 10), "opsadmin", "b@contoso.com");
  sc.Mfa(At(9, 22), "b@contoso.com");
  Options o = DefaultOptions();
  o.report_since = At(9, 15);  // after the resets, before the MFA change: the escalation is new
  Findings f = sc.Run(o);
  ASSERT_EQ(f.bulk.size(), 1u);
  EXPECT_EQ(f.bulk[0].severity, Severity::kCritical);
  EXPECT_EQ(f.bulk[0].newest_arrival, At(9, 22));
  o.report_since = At(9, 22) + 1;
  EXPECT_TRUE(sc.Run(o).bulk.empty());
}

TEST(ReportSinceTest, AnIncidentCutByTheWindowStartDoesNotAlertAgain) {
  // Issue 16: a critical incident (6 resets 10:00-10:50); the search at 15:15 with a 5 h
  // look-back no longer sees its first resets, and the rest used to alert again as "high".
  Scenario sc;
  for (int i = 0; i < 6; ++i) sc.Reset(At(10, 10 * i), "opsadmin", "u" + std::to_string(i));
  Options o = DefaultOptions();
  o.mode = Mode::kBulk;
  o.report_since = At(10, 45);  // the run at 11:00 (report_since=-15m)
  Findings first = (Slice(sc, At(6, 0), At(11, 0))).Run(o);
  ASSERT_EQ(first.bulk.size(), 1u);
  EXPECT_EQ(first.bulk[0].severity, Severity::kCritical);
  Options later = o;
  later.report_since = At(15, 0);  // the run at 15:15: look-back from 10:15
  Findings cut_plain = (Slice(sc, At(10, 15), At(15, 15))).Run(DefaultOptions());
  ASSERT_EQ(cut_plain.bulk.size(), 1u);  // without report_since: the remainder, as "high"
  EXPECT_EQ(cut_plain.bulk[0].severity, Severity::kHigh);
  EXPECT_TRUE((Slice(sc, At(10, 15), At(15, 15))).Run(later).bulk.empty());
}

}  // namespace
}  // namespace vd::detect::testing
