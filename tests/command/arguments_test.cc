#include "command/arguments.h"

#include <gtest/gtest.h>
#include <re2/re2.h>

namespace vd::command {
namespace {

Status Parse(std::vector<std::string> args, Arguments* out) { return ParseArguments(args, out); }

TEST(ArgumentsTest, DefaultsFromTheDesign) {
  Arguments a;
  ASSERT_TRUE(Parse({}, &a).ok());
  EXPECT_EQ(a.analysis.mode, detect::Mode::kAll);
  EXPECT_EQ(a.analysis.window, 3600000);
  EXPECT_EQ(a.analysis.mfa_window, 4 * 3600000);
  EXPECT_EQ(a.analysis.high_confidence, 30 * 60000);
  EXPECT_EQ(a.analysis.min_targets, 2);
  EXPECT_EQ(a.analysis.binning, detect::Binning::kSliding);
  EXPECT_EQ(a.identity, events::IdentityMode::kLocalpart);
  EXPECT_EQ(a.analysis.dedup_window, 10000);
  EXPECT_EQ(a.analysis.pairs, detect::Pairs::kFirst);
  EXPECT_EQ(a.analysis.signin_window, 24 * 3600000);
  EXPECT_EQ(a.phase, Phase::kReport);
  EXPECT_EQ(a.analysis.threads, 2);
  ASSERT_NE(a.helpdesk, nullptr);
  EXPECT_TRUE(RE2::PartialMatch("CONTOSO\\HelpDesk07", *a.helpdesk));
  EXPECT_TRUE(RE2::PartialMatch("resetbot@contoso.com", *a.helpdesk));
  EXPECT_FALSE(RE2::PartialMatch("alice", *a.helpdesk));
}

TEST(ArgumentsTest, EveryArgumentParses) {
  Arguments a;
  ASSERT_TRUE(Parse({"mode=chain", "window=30m", "mfa_window=2h", "high_confidence=0",
                     "min_targets=5", "helpdesk_regex=^svc-", "binning=fixed", "identity=upn",
                     "dedup_window=0", "pairs=all", "signin_window=1d", "phase=map", "threads=1"},
                    &a)
                  .ok());
  EXPECT_EQ(a.analysis.mode, detect::Mode::kChain);
  EXPECT_EQ(a.analysis.window, 30 * 60000);
  EXPECT_EQ(a.analysis.mfa_window, 2 * 3600000);
  EXPECT_EQ(a.analysis.high_confidence, 0);
  EXPECT_EQ(a.analysis.min_targets, 5);
  EXPECT_TRUE(RE2::PartialMatch("svc-reset", *a.helpdesk));
  EXPECT_FALSE(RE2::PartialMatch("helpdesk", *a.helpdesk));
  EXPECT_EQ(a.analysis.binning, detect::Binning::kFixed);
  EXPECT_EQ(a.identity, events::IdentityMode::kUpn);
  EXPECT_EQ(a.analysis.dedup_window, 0);
  EXPECT_EQ(a.analysis.pairs, detect::Pairs::kAll);
  EXPECT_EQ(a.analysis.signin_window, 24 * 3600000);
  EXPECT_EQ(a.phase, Phase::kMap);
  EXPECT_EQ(a.analysis.threads, 1);
  ASSERT_TRUE(Parse({"identity=exact", "mode=bulk", "identity_x=1"}, &a).code() ==
              Status::Code::kInvalidArgument);
}

TEST(ArgumentsTest, ErrorsNameTheArgumentAndTheAcceptedForm) {
  struct Case {
    std::string arg;
    std::vector<std::string> needles;
  } cases[] = {
      {"mode=everything", {"mode=everything", "one of all|bulk|chain"}},
      {"binning=weekly", {"binning=weekly", "sliding|fixed"}},
      {"identity=email", {"identity=email", "localpart|upn|exact"}},
      {"pairs=some", {"pairs=some", "first|all"}},
      {"phase=reduce", {"phase=reduce", "one of map"}},
      {"window=abc", {"window=abc", "duration"}},
      {"window=0", {"window=0", "positive duration"}},
      {"window=10x", {"window=10x", "s, m, h, d"}},
      {"mfa_window=-4h", {"mfa_window=-4h", "duration"}},
      {"high_confidence=soon", {"high_confidence=soon", "duration"}},
      {"dedup_window=1w", {"dedup_window=1w", "duration"}},
      {"signin_window=", {"signin_window=", "duration"}},
      {"min_targets=0", {"min_targets=0", "integer from 1"}},
      {"min_targets=2.5", {"min_targets=2.5", "integer from 1"}},
      {"min_targets=99999999999999999999", {"min_targets=", "integer from 1"}},
      {"threads=0", {"threads=0", "integer from 1 to 16"}},
      {"threads=17", {"threads=17", "integer from 1 to 16"}},
      {"threads=two", {"threads=two", "integer from 1 to 16"}},
      {"helpdesk_regex=(unclosed",
       {"helpdesk_regex=(unclosed", "RE2 regular expression", "missing )"}},
      {"helpdesk_regex=", {"helpdesk_regex=", "non-empty"}},
      {"span=1h", {"unknown argument span", "accepted: mode window"}},
      {"bulk", {"unexpected argument \"bulk\"", "key=value"}},
      {"=x", {"unexpected argument \"=x\""}},
  };
  for (const auto& c : cases) {
    Arguments a;
    Status s = Parse({c.arg}, &a);
    EXPECT_EQ(s.code(), Status::Code::kInvalidArgument) << c.arg;
    EXPECT_EQ(s.message().rfind("vishingcorrelate: ", 0), 0u) << s.message();
    for (const auto& n : c.needles)
      EXPECT_NE(s.message().find(n), std::string::npos) << s.message();
  }
  Arguments a;
  Status twice = Parse({"mode=bulk", "mode=chain"}, &a);
  EXPECT_NE(twice.message().find("mode is given more than once"), std::string::npos)
      << twice.message();
}

TEST(ArgumentsTest, StreamingPreopKeepsRawQuoting) {
  EXPECT_EQ(BuildStreamingPreop({}), "vishingcorrelate phase=map");
  EXPECT_EQ(BuildStreamingPreop({"mode=bulk", R"x(helpdesk_regex="(?i)(a|b c)")x"}),
            R"x(vishingcorrelate phase=map mode=bulk helpdesk_regex="(?i)(a|b c)")x");
}

}  // namespace
}  // namespace vd::command

namespace vd::command {
namespace {

TEST(ArgumentsTest, ReportSinceTakesAnEpochOrADurationBeforeTheLatestTime) {
  Arguments a;
  ASSERT_TRUE(Parse({}, &a).ok());
  ResolveReportSince(1700000000000, 1800000000000, &a);
  EXPECT_FALSE(a.analysis.report_since.has_value());  // unset: every finding

  ASSERT_TRUE(Parse({"report_since=1700000000.5"}, &a).ok());
  ResolveReportSince(1800000000000, 1900000000000, &a);
  EXPECT_EQ(a.analysis.report_since, 1700000000500);

  ASSERT_TRUE(Parse({"report_since=-15m"}, &a).ok());
  ResolveReportSince(1700000900000, 1800000000000, &a);  // the search's latest_time
  EXPECT_EQ(a.analysis.report_since, 1700000000000);
  ResolveReportSince(std::nullopt, 1800000900000, &a);  // none: before now
  EXPECT_EQ(a.analysis.report_since, 1800000000000);
  ResolveReportSince(0, 1800000900000, &a);  // latest_time "0" is unbounded: before now
  EXPECT_EQ(a.analysis.report_since, 1800000000000);

  for (const char* bad :
       {"report_since=15m", "report_since=-15x", "report_since=", "report_since=-",
        "report_since=yesterday", "report_since=2024-01-01T00:00:00Z", "report_since=.5"}) {
    Status s = Parse({bad}, &a);
    ASSERT_EQ(s.code(), Status::Code::kInvalidArgument) << bad;
    EXPECT_NE(s.message().find("report_since"), std::string::npos) << s.message();
    EXPECT_NE(s.message().find("-15m"), std::string::npos) << s.message();
  }
}

}  // namespace
}  // namespace vd::command
