#include "detect/dedup.h"

#include <gtest/gtest.h>

#include "detect/event_order.h"
#include "scenario.h"

namespace vd::detect::testing {
namespace {

DedupedEvents RunDedup(const Scenario& sc, DetectStats* stats, DurationMs window = 10 * kSecond,
                       Recovery recovery = Recovery::kAll) {
  StrOrder order(sc.pool);
  return Dedup(sc.events, EventOrder(sc.events, order), order, window, stats, recovery);
}

std::string Op(const Scenario& sc, const IdentityEvent& e) {
  return std::string(sc.pool.Get(e.operation));
}

TEST(DedupTest, PortalResetsTwoEntraEventsWithOneCorrelationIdAreOneReset) {
  Scenario sc;
  // One portal reset: Core Directory "Reset user password" and SSPR "Reset password (by
  // admin)", two seconds apart, same correlation id.
  sc.Reset(At(10, 0, 2), "helpdesk@contoso.com", "jdoe@contoso.com", "Reset password (by admin)")
      .correlation_id = sc.S("corr-1");
  sc.Reset(At(10, 0, 0), "helpdesk@contoso.com", "jdoe@contoso.com", "Reset user password")
      .correlation_id = sc.S("corr-1");
  DetectStats stats;
  DedupedEvents d = RunDedup(sc, &stats);
  ASSERT_EQ(d.resets.size(), 1u);
  EXPECT_EQ(d.resets[0].time, At(10, 0, 0));  // the earliest is kept
  EXPECT_EQ(Op(sc, d.resets[0]), "Reset user password");
  EXPECT_EQ(stats.resets_merged, 1);
  EXPECT_EQ(stats.admin_resets, 1);
}

TEST(DedupTest, SharedCorrelationIdMergesBeyondTheWindow) {
  Scenario sc;
  sc.Reset(At(10, 0, 0), "helpdesk@contoso.com", "jdoe@contoso.com").correlation_id = sc.S("c");
  sc.Reset(At(10, 1, 0), "helpdesk@contoso.com", "jdoe@contoso.com", "Reset password (by admin)")
      .correlation_id = sc.S("c");
  DetectStats stats;
  EXPECT_EQ(RunDedup(sc, &stats).resets.size(), 1u);
}

TEST(DedupTest, WindowIsAnchoredAtTheGroupsEarliestEventNotChained) {
  Scenario sc;
  // 0 s, 8 s, 16 s, no correlation ids: 8 s is within 10 s of 0 s; 16 s is 16 s after the
  // group's earliest (chaining 8 -> 16 would merge it, anchoring does not).
  sc.Reset(At(10, 0, 0), "helpdesk@contoso.com", "jdoe@contoso.com");
  sc.Reset(At(10, 0, 8), "helpdesk@contoso.com", "jdoe@contoso.com");
  sc.Reset(At(10, 0, 16), "helpdesk@contoso.com", "jdoe@contoso.com");
  DetectStats stats;
  DedupedEvents d = RunDedup(sc, &stats);
  ASSERT_EQ(d.resets.size(), 2u);
  EXPECT_EQ(d.resets[0].time, At(10, 0, 0));
  EXPECT_EQ(d.resets[1].time, At(10, 0, 16));
}

TEST(DedupTest, ExactlyTheDedupWindowStillMerges) {
  Scenario sc;
  sc.Reset(At(10, 0, 0), "helpdesk@contoso.com", "jdoe@contoso.com");
  sc.Reset(At(10, 0, 10), "helpdesk@contoso.com", "jdoe@contoso.com");
  sc.Reset(At(10, 0, 10) + 1 + 10 * kSecond, "helpdesk@contoso.com", "jdoe@contoso.com");
  DetectStats stats;
  EXPECT_EQ(RunDedup(sc, &stats).resets.size(), 2u);
}

TEST(DedupTest, AdResetWith4738CompanionInTheSameMillisecondIsOneReset) {
  Scenario sc;
  // 4724 then 4738 (PasswordLastSet) in the same millisecond by the same subject.
  sc.Reset(At(22, 9, 13) + 680, "CONTOSO\\admin1", "CONTOSO\\jdoe", "4738", Source::kAd);
  sc.Reset(At(22, 9, 13) + 680, "CONTOSO\\admin1", "CONTOSO\\jdoe", "4724", Source::kAd);
  DetectStats stats;
  DedupedEvents d = RunDedup(sc, &stats);
  ASSERT_EQ(d.resets.size(), 1u);
  EXPECT_EQ(Op(sc, d.resets[0]), "4724");  // equal times: operation text breaks the tie
}

TEST(DedupTest, DifferentInitiatorsOrTargetsNeverMerge) {
  Scenario sc;
  sc.Reset(At(10, 0, 0), "helpdesk@contoso.com", "jdoe@contoso.com");
  sc.Reset(At(10, 0, 0), "helpdesk@contoso.com", "asmith@contoso.com");
  sc.Reset(At(10, 0, 0), "support@contoso.com", "jdoe@contoso.com");
  DetectStats stats;
  EXPECT_EQ(RunDedup(sc, &stats).resets.size(), 3u);
}

TEST(DedupTest, ResetsAndMfaNeverMergeEvenWithOneCorrelationId) {
  Scenario sc;
  sc.Reset(At(10, 0, 0), "helpdesk@contoso.com", "jdoe@contoso.com").correlation_id = sc.S("c");
  sc.Mfa(At(10, 0, 1), "jdoe@contoso.com", "Admin registered security info").correlation_id =
      sc.S("c");
  DetectStats stats;
  DedupedEvents d = RunDedup(sc, &stats);
  EXPECT_EQ(d.resets.size(), 1u);
  EXPECT_EQ(d.mfa.size(), 1u);
}

TEST(DedupTest, MfaDedupsPerTargetAndOperation) {
  Scenario sc;
  sc.Mfa(At(10, 0, 0), "jdoe@contoso.com");
  sc.Mfa(At(10, 0, 5), "jdoe@contoso.com");                                // merged
  sc.Mfa(At(10, 0, 5), "jdoe@contoso.com", "User deleted security info");  // other operation
  sc.Mfa(At(10, 0, 5), "asmith@contoso.com");                              // other target
  DetectStats stats;
  DedupedEvents d = RunDedup(sc, &stats);
  EXPECT_EQ(d.mfa.size(), 3u);
  EXPECT_EQ(stats.mfa_merged, 1);
}

TEST(DedupTest, ExactDuplicateEventIdsCollapse) {
  Scenario sc;
  IdentityEvent e = sc.Reset(At(10, 0, 0), "helpdesk@contoso.com", "jdoe@contoso.com");
  sc.events.push_back(e);  // the same event delivered twice (at-least-once input)
  e.time += kHour;         // even when it claims another time, one id is one event
  sc.events.push_back(e);
  DetectStats stats;
  DedupedEvents d = RunDedup(sc, &stats);
  EXPECT_EQ(d.resets.size(), 1u);
  EXPECT_EQ(stats.duplicate_event_ids, 2);
  EXPECT_EQ(d.resets[0].time, At(10, 0, 0));
}

TEST(DedupTest, SelfServiceAndMissingIdentitiesAreNotAdminResets) {
  Scenario sc;
  sc.Reset(At(10, 0, 0), "jdoe@contoso.com", "JDOE@contoso.com");  // same key
  sc.Reset(At(10, 0, 0), "CONTOSO\\jdoe", "jdoe@contoso.com");     // same key across forms
  sc.Reset(At(10, 5, 0), "", "asmith@contoso.com");
  DetectStats stats;
  DedupedEvents d = RunDedup(sc, &stats);
  EXPECT_TRUE(d.resets.empty());
  EXPECT_EQ(stats.self_service, 2);
  EXPECT_EQ(stats.missing_identity, 1);
}

TEST(DedupTest, FailedResetsAreKeptApartAndDedupedAmongThemselves) {
  Scenario sc;
  sc.Reset(At(10, 0, 0), "helpdesk@contoso.com", "jdoe@contoso.com").outcome = Outcome::kFailure;
  sc.Reset(At(10, 0, 3), "helpdesk@contoso.com", "jdoe@contoso.com").outcome = Outcome::kFailure;
  sc.Reset(At(10, 0, 4), "helpdesk@contoso.com", "jdoe@contoso.com");
  DetectStats stats;
  DedupedEvents d = RunDedup(sc, &stats);
  EXPECT_EQ(d.failed_resets.size(), 1u);
  ASSERT_EQ(d.resets.size(), 1u);
  EXPECT_EQ(d.resets[0].time, At(10, 0, 4));  // a failure never absorbs a success
}

TEST(DedupTest, RecoveryKindsNeverMergeAndEachKindsBurstIsOne) {
  Scenario sc;
  // OIE writes one user.mfa.factor.deactivate per factor: three in 2 s by one help desk on
  // one user are one MFA reset; the password reset of the same second stays apart.
  for (int s : {0, 1, 2}) {
    sc.Reset(At(10, 0, s), "helpdesk@contoso.com", "jdoe@contoso.com", "user.mfa.factor.deactivate")
        .kind = Kind::kMfaReset;
  }
  sc.Reset(At(10, 0, 1), "helpdesk@contoso.com", "jdoe@contoso.com");
  sc.Reset(At(10, 0, 1), "helpdesk@contoso.com", "jdoe@contoso.com", "Create TAP").kind =
      Kind::kTap;
  DetectStats stats;
  DedupedEvents d = RunDedup(sc, &stats);
  ASSERT_EQ(d.resets.size(), 3u);
  EXPECT_EQ(d.resets[0].kind, Kind::kMfaReset);
  EXPECT_EQ(d.resets[0].time, At(10, 0, 0));
  EXPECT_EQ(stats.resets_merged, 2);
  // The MFA reset and the TAP kept are also the MFA leg; the password reset is not.
  ASSERT_EQ(d.mfa.size(), 2u);
  EXPECT_EQ(d.mfa[0].kind, Kind::kMfaReset);
  EXPECT_EQ(d.mfa[1].kind, Kind::kTap);
}

TEST(DedupTest, MfaResetByTheAccountItselfIsAnMfaChange) {
  Scenario sc;
  sc.Reset(At(10, 0, 0), "jdoe@contoso.com", "jdoe@contoso.com", "Disable Strong Authentication.")
      .kind = Kind::kMfaReset;
  DetectStats stats;
  DedupedEvents d = RunDedup(sc, &stats);
  EXPECT_TRUE(d.resets.empty());
  EXPECT_EQ(d.mfa.size(), 1u);
  EXPECT_EQ(stats.self_service, 0);
}

TEST(DedupTest, RecoveryPasswordTakesMfaResetsAndTapsAsMfaChanges) {
  Scenario sc;
  sc.Reset(At(10, 0, 0), "helpdesk@contoso.com", "jdoe@contoso.com", "Admin deleted security info")
      .kind = Kind::kMfaReset;
  sc.Reset(At(10, 5, 0), "helpdesk@contoso.com", "jdoe@contoso.com");
  DetectStats stats;
  DedupedEvents d = RunDedup(sc, &stats, 10 * kSecond, Recovery::kPassword);
  ASSERT_EQ(d.resets.size(), 1u);
  EXPECT_EQ(d.resets[0].kind, Kind::kReset);
  ASSERT_EQ(d.mfa.size(), 1u);
  EXPECT_EQ(stats.mfa_in, 1);
  EXPECT_EQ(stats.resets_in, 1);
}

}  // namespace
}  // namespace vd::detect::testing
