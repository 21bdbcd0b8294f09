#include <deque>

#include <gtest/gtest.h>

#include "detect/findings.h"
#include "scenario.h"

namespace vd::detect::testing {
namespace {

constexpr const char* kHelpdesk = "helpdesk.op@contoso.com";
constexpr const char* kVictim = "jdoe@contoso.com";

Options ChainOptions() {
  Options o = DefaultOptions();
  o.mode = Mode::kChain;
  return o;
}

Findings ResetThenMfa(TimeMs gap, const char* mfa_op = "User registered security info") {
  // The findings' texts are views into the scenario's pool: it lives for the test run.
  static std::deque<Scenario> kept;
  Scenario& sc = kept.emplace_back();
  sc.Reset(At(10, 0), kHelpdesk, kVictim).initiator_ip = sc.S("198.51.100.4");
  sc.Mfa(At(10, 0) + gap, kVictim, mfa_op).detail = sc.S("Authenticator App");
  return sc.Run(ChainOptions());
}

TEST(ChainTest, MfaTwelveMinutesAfterTheResetIsHighConfidence) {
  Findings f = ResetThenMfa(12 * kMinute);
  ASSERT_EQ(f.chains.size(), 1u);
  const ChainFinding& c = f.chains[0];
  EXPECT_TRUE(c.high_confidence);
  EXPECT_EQ(c.minutes_between, 12);
  EXPECT_EQ(c.severity, Severity::kHigh);
  EXPECT_EQ(c.reset_time, At(10, 0));
  EXPECT_EQ(c.mfa_time, At(10, 12));
  EXPECT_EQ(c.target_user, kVictim);
  EXPECT_EQ(c.initiator_upn, kHelpdesk);
  EXPECT_EQ(c.initiator_ip, "198.51.100.4");
  EXPECT_EQ(c.reset_operation, "Reset user password");
  EXPECT_EQ(c.mfa_operation, "User registered security info");
  EXPECT_EQ(c.mfa_detail, "Authenticator App");
  EXPECT_EQ(c.mfa_change_count, 1);
  EXPECT_EQ(c.mfa_operations, std::vector<std::string_view>{"User registered security info"});
  EXPECT_EQ(c.signin_baseline, SigninBaseline::kNone);
  EXPECT_FALSE(c.signin_after_mfa);
}

TEST(ChainTest, ThreeAndAHalfHoursIsAMatchButNotHighConfidence) {
  Findings f = ResetThenMfa(3 * kHour + 30 * kMinute);
  ASSERT_EQ(f.chains.size(), 1u);
  EXPECT_FALSE(f.chains[0].high_confidence);
  EXPECT_EQ(f.chains[0].minutes_between, 210);
  EXPECT_EQ(f.chains[0].severity, Severity::kMedium);
}

TEST(ChainTest, FiveHoursIsNoMatch) { EXPECT_TRUE(ResetThenMfa(5 * kHour).chains.empty()); }

TEST(ChainTest, MfaBeforeTheResetIsNoMatch) {
  EXPECT_TRUE(ResetThenMfa(-12 * kMinute).chains.empty());
  EXPECT_TRUE(ResetThenMfa(-1).chains.empty());
}

TEST(ChainTest, WindowBoundsAreClosed) {
  EXPECT_EQ(ResetThenMfa(4 * kHour).chains.size(), 1u);
  EXPECT_TRUE(ResetThenMfa(4 * kHour + 1).chains.empty());
  Findings same_instant = ResetThenMfa(0);
  ASSERT_EQ(same_instant.chains.size(), 1u);
  EXPECT_EQ(same_instant.chains[0].minutes_between, 0);
}

TEST(ChainTest, HighConfidenceIsStrictlyBelowThirtyMinutesOfElapsedTime) {
  Findings under = ResetThenMfa(30 * kMinute - 1);
  ASSERT_EQ(under.chains.size(), 1u);
  EXPECT_TRUE(under.chains[0].high_confidence);
  EXPECT_EQ(under.chains[0].minutes_between, 29);  // elapsed minutes, floored
  Findings at = ResetThenMfa(30 * kMinute);
  ASSERT_EQ(at.chains.size(), 1u);
  EXPECT_FALSE(at.chains[0].high_confidence);
}

TEST(ChainTest, OnPremAdResetJoinsEntraRegistrationThroughTheLocalpartKey) {
  Scenario sc;
  sc.Reset(At(10, 0), "CONTOSO\\helpdesk1", "CONTOSO\\jdoe", "4724", Source::kAd);
  sc.Mfa(At(10, 9), "jdoe@contoso.com", "User registered security info", Source::kEntra);
  Findings f = sc.Run(ChainOptions());
  ASSERT_EQ(f.chains.size(), 1u);
  const ChainFinding& c = f.chains[0];
  EXPECT_EQ(c.target_key, "jdoe");
  EXPECT_EQ(c.target_user, "CONTOSO\\jdoe");  // spelled as in the person's earliest event
  EXPECT_EQ(c.initiator_upn, "CONTOSO\\helpdesk1");
  EXPECT_EQ(c.reset_source, Source::kAd);
  EXPECT_EQ(c.mfa_source, Source::kEntra);
  EXPECT_EQ(c.reset_operation, "4724");
  EXPECT_TRUE(c.high_confidence);
}

TEST(ChainTest, TwoEntraEventsOfOnePortalResetGiveOneChainRow) {
  Scenario sc;
  sc.Reset(At(10, 0, 0), kHelpdesk, kVictim, "Reset user password").correlation_id = sc.S("c-77");
  sc.Reset(At(10, 0, 1), kHelpdesk, kVictim, "Reset password (by admin)").correlation_id =
      sc.S("c-77");
  sc.Mfa(At(10, 15), kVictim);
  Findings f = sc.Run(ChainOptions());
  ASSERT_EQ(f.chains.size(), 1u);
  EXPECT_EQ(f.chains[0].reset_operation, "Reset user password");
  EXPECT_EQ(f.stats.admin_resets, 1);
}

TEST(ChainTest, PairsFirstTakesTheEarliestMfaWithTiesByOperationName) {
  Scenario sc;
  sc.Reset(At(10, 0), kHelpdesk, kVictim);
  sc.Mfa(At(10, 10), kVictim, "User registered security info");
  sc.Mfa(At(10, 10), kVictim, "User deleted security info");  // same instant, sorts first
  sc.Mfa(At(12, 0), kVictim, "Admin registered security info");
  sc.Mfa(At(15, 0), kVictim, "User changed default security info");  // after the window
  Findings f = sc.Run(ChainOptions());
  ASSERT_EQ(f.chains.size(), 1u);
  const ChainFinding& c = f.chains[0];
  EXPECT_EQ(c.mfa_operation, "User deleted security info");
  EXPECT_EQ(c.mfa_time, At(10, 10));
  EXPECT_EQ(c.mfa_change_count, 3);
  EXPECT_EQ(c.mfa_operations, (std::vector<std::string_view>{"Admin registered security info",
                                                             "User deleted security info",
                                                             "User registered security info"}));

  Options all = ChainOptions();
  all.pairs = Pairs::kAll;
  Findings every = sc.Run(all);
  ASSERT_EQ(every.chains.size(), 3u);
  // HighConfidence desc first, then MFATime for one reset.
  EXPECT_EQ(every.chains[0].mfa_operation, "User deleted security info");
  EXPECT_EQ(every.chains[1].mfa_operation, "User registered security info");
  EXPECT_EQ(every.chains[2].mfa_operation, "Admin registered security info");
  EXPECT_FALSE(every.chains[2].high_confidence);
}

TEST(ChainTest, EveryResetGetsItsOwnRow) {
  Scenario sc;
  sc.Reset(At(9, 0), kHelpdesk, kVictim);
  sc.Reset(At(10, 0), kHelpdesk, kVictim);
  sc.Mfa(At(10, 5), kVictim);
  Findings f = sc.Run(ChainOptions());
  ASSERT_EQ(f.chains.size(), 2u);
  // HighConfidence desc: the 10:00 reset (5 min) first, then 09:00 (65 min).
  EXPECT_EQ(f.chains[0].reset_time, At(10, 0));
  EXPECT_TRUE(f.chains[0].high_confidence);
  EXPECT_EQ(f.chains[1].reset_time, At(9, 0));
  EXPECT_EQ(f.chains[1].minutes_between, 65);
}

TEST(ChainTest, SignInFromANewIpAfterTheMfaChangeIsCritical) {
  Scenario sc;
  sc.Signin(At(10, 0) - 48 * kHour, kVictim, "10.20.30.40");  // baseline
  sc.Signin(At(10, 0) - 1 * kHour, kVictim, "10.20.30.41");   // baseline
  sc.Reset(At(10, 0), kHelpdesk, kVictim);
  sc.Mfa(At(10, 12), kVictim).initiator_ip = sc.S("203.0.113.50");
  sc.Signin(At(10, 20), kVictim, "10.20.30.40");   // known address: not it
  sc.Signin(At(10, 25), kVictim, "");              // no address: never "new"
  sc.Signin(At(10, 40), kVictim, "203.0.113.50");  // the MFA's own IP is not baseline
  sc.Signin(At(11, 0), kVictim, "192.0.2.9");
  Findings f = sc.Run(ChainOptions());
  ASSERT_EQ(f.chains.size(), 1u);
  const ChainFinding& c = f.chains[0];
  EXPECT_EQ(c.signin_baseline, SigninBaseline::kKnown);
  EXPECT_TRUE(c.signin_after_mfa);
  EXPECT_EQ(c.signin_ip, "203.0.113.50");
  EXPECT_EQ(c.severity, Severity::kCritical);
}

TEST(ChainTest, KnownBaselineAndOnlyKnownAddressesAfterwardsStaysHigh) {
  Scenario sc;
  sc.Signin(At(8, 0), kVictim, "10.20.30.40");
  sc.Reset(At(10, 0), kHelpdesk, kVictim);
  sc.Mfa(At(10, 12), kVictim);
  sc.Signin(At(10, 30), kVictim, "10.20.30.40");
  sc.Signin(At(10, 12) + 24 * kHour + 1, kVictim, "192.0.2.9");  // beyond signin_window
  Findings f = sc.Run(ChainOptions());
  ASSERT_EQ(f.chains.size(), 1u);
  EXPECT_EQ(f.chains[0].signin_baseline, SigninBaseline::kKnown);
  EXPECT_FALSE(f.chains[0].signin_after_mfa);
  EXPECT_EQ(f.chains[0].signin_ip, "");
  EXPECT_EQ(f.chains[0].severity, Severity::kHigh);
}

TEST(ChainTest, NoEarlierSignInMeansNoBaselineAndNoEscalation) {
  Scenario sc;
  sc.Reset(At(10, 0), kHelpdesk, kVictim);
  sc.Mfa(At(10, 12), kVictim);
  sc.Signin(At(10, 30), kVictim, "192.0.2.9");
  sc.Signin(At(10, 45), kVictim, "192.0.2.10");
  sc.Signin(At(9, 0), "someone.else@contoso.com", "10.0.0.1");  // another person's history
  Findings f = sc.Run(ChainOptions());
  ASSERT_EQ(f.chains.size(), 1u);
  const ChainFinding& c = f.chains[0];
  EXPECT_EQ(c.signin_baseline, SigninBaseline::kNone);
  EXPECT_FALSE(c.signin_after_mfa);
  EXPECT_EQ(c.signin_ip, "192.0.2.9");  // information only
  EXPECT_EQ(c.severity, Severity::kHigh);
}

TEST(ChainTest, FailedSignInsAreNoBaseline) {
  Scenario sc;
  sc.Signin(At(8, 0), kVictim, "10.20.30.40").outcome = Outcome::kFailure;
  sc.Reset(At(10, 0), kHelpdesk, kVictim);
  sc.Mfa(At(10, 12), kVictim);
  sc.Signin(At(10, 30), kVictim, "192.0.2.9");
  Findings f = sc.Run(ChainOptions());
  ASSERT_EQ(f.chains.size(), 1u);
  EXPECT_EQ(f.chains[0].signin_baseline, SigninBaseline::kNone);
}

TEST(ChainTest, AllowlistedResetStillStartsAChain) {
  // Issue 16: allow-listing hd-mtorres removed the critical chain (AD reset, Entra MFA 12
  // minutes later, sign-in from a new IP). Allow-listing removes a reset from bulk counting
  // only (DESIGN.md §3.6).
  Scenario sc;
  sc.Signin(At(8, 0), kVictim, "10.20.30.40");
  sc.Reset(At(10, 0), "CONTOSO\\hd-mtorres", "CONTOSO\\jdoe", "4724", Source::kAd).allowlisted =
      true;
  sc.Mfa(At(10, 12), kVictim);
  sc.Signin(At(10, 30), kVictim, "203.0.113.66");
  Findings f = sc.Run(DefaultOptions());
  ASSERT_EQ(f.chains.size(), 1u);
  EXPECT_EQ(f.chains[0].severity, Severity::kCritical);
  EXPECT_TRUE(f.chains[0].signin_after_mfa);
  EXPECT_EQ(f.chains[0].signin_ip, "203.0.113.66");
  EXPECT_TRUE(f.bulk.empty());  // an allow-listed reset qualifies no bulk incident
  EXPECT_EQ(f.stats.allowlisted_resets, 1);
}

TEST(ChainTest, SelfServiceResetStartsNoChain) {
  Scenario sc;
  sc.Reset(At(10, 0), kVictim, kVictim, "Reset password (self-service)");
  sc.Mfa(At(10, 5), kVictim);
  Findings f = sc.Run(DefaultOptions());
  EXPECT_TRUE(f.chains.empty());
  EXPECT_EQ(f.stats.self_service, 1);
}

TEST(ChainTest, FailedMfaChangesAndFailedResetsDoNotChain) {
  Scenario sc;
  sc.Reset(At(10, 0), kHelpdesk, kVictim).outcome = Outcome::kFailure;
  sc.Mfa(At(10, 5), kVictim);
  sc.Reset(At(12, 0), kHelpdesk, "asmith@contoso.com");
  sc.Mfa(At(12, 5), "asmith@contoso.com").outcome = Outcome::kFailure;
  EXPECT_TRUE(sc.Run(ChainOptions()).chains.empty());
}

TEST(ChainTest, AppInitiatorIsAnInitiator) {
  Scenario sc;
  IdentityEvent& r = sc.Reset(At(10, 0), "Provisioning Bot", kVictim);
  r.initiator_app = sc.S("Provisioning Bot");
  sc.Mfa(At(10, 5), kVictim);
  Findings f = sc.Run(ChainOptions());
  ASSERT_EQ(f.chains.size(), 1u);
  EXPECT_EQ(f.chains[0].initiator_upn, "Provisioning Bot");
  EXPECT_EQ(f.chains[0].initiator_app, "Provisioning Bot");
}

}  // namespace
}  // namespace vd::detect::testing

namespace vd::detect::testing {
namespace {

IdentityEvent& KnownIp(Scenario* sc, TimeMs first_seen, std::string_view user,
                       std::string_view ip) {
  IdentityEvent e;
  e.time = first_seen;
  e.kind = Kind::kKnownIp;
  e.target = sc->S(user);
  e.target_key = sc->S(LocalpartKey(user));
  e.signin_ip = sc->S(ip);
  sc->events.push_back(e);
  return sc->events.back();
}

// DESIGN.md §3.7: known_ip rows (the daily baseline lookup) are the sign-in baseline, so the
// verdict does not depend on how far back the search window reaches (issue 16: a 70-hour-old
// sign-in leaving the window flipped SignInAfterMFA to true).
TEST(ChainTest, KnownIpRowsAreTheSigninBaseline) {
  const char* victim = "pia.roth@contoso.com";
  auto run = [&](bool with_known, bool with_old_signin) {
    static std::deque<Scenario> kept;
    Scenario& sc = kept.emplace_back();
    if (with_known) KnownIp(&sc, At(10, 0) - 70 * kHour, victim, "81.2.69.160");
    if (with_old_signin) sc.Signin(At(10, 0) - 70 * kHour, victim, "81.2.69.160");
    sc.Signin(At(10, 0) - 24 * kHour, victim, "81.2.69.161");
    sc.Reset(At(10, 0), "adm-kjones@contoso.com", victim);
    sc.Mfa(At(10, 15), victim);
    sc.Signin(At(10, 30), victim, "81.2.69.160");
    Findings f = sc.Run(ChainOptions());
    EXPECT_EQ(f.chains.size(), 1u);
    return f.chains.empty() ? ChainFinding{} : f.chains[0];
  };
  // The window alone, once the old sign-in left it: the address looks new (the flip).
  EXPECT_TRUE(run(false, false).signin_after_mfa);
  EXPECT_FALSE(run(false, true).signin_after_mfa);
  // With the known address, whatever the window holds: known, not new.
  for (bool old : {false, true}) {
    ChainFinding c = run(true, old);
    EXPECT_FALSE(c.signin_after_mfa) << old;
    EXPECT_EQ(c.signin_baseline, SigninBaseline::kKnown);
    EXPECT_EQ(c.severity, Severity::kHigh);
  }
}

TEST(ChainTest, AKnownIpFirstSeenAfterTheResetCountsForNothing) {
  const char* victim = "jdoe@contoso.com";
  Scenario sc;
  KnownIp(&sc, At(9, 0), victim, "192.0.2.1");       // the baseline: known before the reset
  KnownIp(&sc, At(10, 40), victim, "203.0.113.66");  // first seen after it: still new
  sc.Reset(At(10, 0), kHelpdesk, victim);
  sc.Mfa(At(10, 12), victim);
  sc.Signin(At(10, 40), victim, "203.0.113.66");
  Findings f = sc.Run(ChainOptions());
  ASSERT_EQ(f.chains.size(), 1u);
  EXPECT_EQ(f.chains[0].signin_baseline, SigninBaseline::kKnown);
  EXPECT_TRUE(f.chains[0].signin_after_mfa);
  EXPECT_EQ(f.chains[0].signin_ip, "203.0.113.66");
  EXPECT_EQ(f.chains[0].severity, Severity::kCritical);
  EXPECT_EQ(f.stats.known_ips, 2);

  Scenario none;
  KnownIp(&none, At(10, 40), victim, "203.0.113.66");  // only after the reset: no baseline
  none.Reset(At(10, 0), kHelpdesk, victim);
  none.Mfa(At(10, 12), victim);
  none.Signin(At(10, 40), victim, "203.0.113.66");
  Findings g = none.Run(ChainOptions());
  ASSERT_EQ(g.chains.size(), 1u);
  EXPECT_EQ(g.chains[0].signin_baseline, SigninBaseline::kNone);
  EXPECT_FALSE(g.chains[0].signin_after_mfa);
}

}  // namespace
}  // namespace vd::detect::testing
