// The readable table and the result CSV read back: what --replay and --table print.
#include "command/findings_printer.h"

#include <deque>
#include <string>

#include <gtest/gtest.h>

#include "command/findings_table.h"
#include "command/replay.h"
#include "detect/finding_fields.h"

namespace vd::command {
namespace {

// Findings hold views (into the analysis' string pool); texts made here live for the test run.
std::string_view Keep(std::string text) {
  static std::deque<std::string> kept;
  return kept.emplace_back(std::move(text));
}

detect::BulkFinding Bulk(int targets) {
  detect::BulkFinding b;
  b.initiator = "CONTOSO\\hd-mtorres";
  b.initiator_key = "hd-mtorres";
  b.severity = targets >= 5 ? detect::Severity::kCritical : detect::Severity::kMedium;
  b.reset_count = targets;
  b.unique_targets = targets;
  b.failed_resets = 1;
  for (int i = 0; i < targets; ++i)
    b.affected_accounts.push_back(Keep("user" + std::to_string(i) + "@contoso.com"));
  b.sources = {"AD", "Entra"};
  b.first_reset = 1748857260000;
  b.last_reset = b.first_reset + 39 * 60000;
  b.timespan_minutes = 39;
  return b;
}

detect::ChainFinding Chain() {
  detect::ChainFinding c;
  c.reset_time = 1748857260500;
  c.mfa_time = c.reset_time + 12 * 60000;
  c.minutes_between = 12;
  c.high_confidence = true;
  c.severity = detect::Severity::kCritical;
  c.target_user = "amanda.reyes@contoso.com";
  c.initiator_upn = "CONTOSO\\hd-mtorres";
  c.mfa_operation = "User registered security info";
  c.mfa_operations = {"User registered security info"};
  c.mfa_change_count = 1;
  c.signin_after_mfa = true;
  c.signin_ip = "185.220.101.45";
  c.signin_baseline = detect::SigninBaseline::kKnown;
  return c;
}

TEST(FindingsPrinter, BulkAndChainLines) {
  detect::Findings f;
  f.bulk.push_back(Bulk(6));
  f.chains.push_back(Chain());
  std::string out;
  PrintFindingsTable(detect::ToRecords(f), &out);
  EXPECT_NE(out.find("SEVERITY  DETECTION  "), std::string::npos) << out;
  EXPECT_NE(
      out.find("critical  bulk_reset       2025-06-02T09:41:00Z      CONTOSO\\hd-mtorres  6: "),
      std::string::npos)
      << out;
  EXPECT_NE(out.find("6 targets in 39 min, 1 failed\n"), std::string::npos) << out;
  // Milliseconds shown only when there are any.
  EXPECT_NE(out.find("2025-06-02T09:41:00.500Z"), std::string::npos) << out;
  EXPECT_NE(out.find("MFA 12 min after reset (User registered security info); new-IP sign-in "
                     "185.220.101.45\n"),
            std::string::npos)
      << out;
  // Every line's columns start at the same offsets: the TARGET(S) column lines up.
  size_t header_at = out.find("TARGET(S)");
  size_t line2 = out.find('\n') + 1;
  EXPECT_EQ(out.substr(line2 + header_at, 2), "6:");
  EXPECT_EQ(out.find(" \n"), std::string::npos);  // no trailing blanks
}

TEST(FindingsPrinter, BulkTargetsAreCountedAndCut) {
  detect::Findings f;
  f.bulk.push_back(Bulk(40));
  std::string out;
  PrintFindingsTable(detect::ToRecords(f), &out);
  EXPECT_NE(out.find("40: user0@contoso.com, user1@contoso.com"), std::string::npos) << out;
  EXPECT_NE(out.find(" +38 "), std::string::npos) << out;
}

TEST(FindingsPrinter, RaisedByChainAndNoBaselineAreSpelledOut) {
  detect::Findings f;
  f.bulk.push_back(Bulk(2));
  f.bulk[0].severity = detect::Severity::kCritical;  // mode=all raised it
  f.chains.push_back(Chain());
  f.chains[0].signin_after_mfa = false;
  f.chains[0].signin_baseline = detect::SigninBaseline::kNone;
  std::string out;
  PrintFindingsTable(detect::ToRecords(f), &out);
  EXPECT_NE(out.find("2 targets in 39 min, 1 failed; raised: a reset in it starts a chain"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("sign-in from 185.220.101.45 (no earlier sign-in to compare)"),
            std::string::npos)
      << out;
}

TEST(FindingsPrinter, HostileNamesCannotBreakTheLayout) {
  detect::Findings f;
  f.chains.push_back(Chain());
  f.chains[0].initiator_upn = Keep("evil\n\x1b[31mred\r" + std::string(200, 'x'));
  std::string out;
  PrintFindingsTable(detect::ToRecords(f), &out);
  EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 2) << out;
  EXPECT_EQ(out.find('\x1b'), std::string::npos);
  EXPECT_NE(out.find("evil??[31mred?xxx"), std::string::npos) << out;
  EXPECT_NE(out.find("x...  "), std::string::npos) << out;  // cut to the column's width
}

TEST(FindingsPrinter, EmptyIsSaidSo) {
  std::string out;
  PrintFindingsTable({}, &out);
  EXPECT_EQ(out, "no findings\n");
}

// The result CSV (with __mv_ columns, as splunkd receives it) reads back into the same records,
// so --table prints exactly what --replay prints.
TEST(ParseFindingsCsv, RoundTripsTheCommandsOutput) {
  detect::Findings f;
  f.bulk.push_back(Bulk(3));
  f.bulk[0].affected_accounts[1] = "odd$name, with \"quotes\"";
  f.chains.push_back(Chain());
  std::vector<detect::OutRecord> want = detect::ToRecords(f);
  std::string csv;
  WriteFindingsCsv(f, &csv);
  std::vector<detect::OutRecord> got;
  ASSERT_TRUE(ParseFindingsCsv(&csv, &got).ok());
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < want.size(); ++i) {
    for (const detect::OutField& field : want[i]) {
      bool found = false;
      for (const detect::OutField& g : got[i]) {
        if (g.name != field.name) continue;
        found = true;
        EXPECT_EQ(g.values, field.values) << field.name;
      }
      EXPECT_TRUE(found) << field.name;
    }
  }
  std::string a, b;
  PrintFindingsTable(want, &a);
  PrintFindingsTable(got, &b);
  EXPECT_EQ(a, b);
}

TEST(ParseFindingsCsv, PlainMultivalueWithoutCompanionAndErrors) {
  std::string csv =
      "_time,detection,severity,user,UniqueTargets\n1,bulk_reset,high,\"a\nb\nc\",3\n\n";
  std::vector<detect::OutRecord> got;
  ASSERT_TRUE(ParseFindingsCsv(&csv, &got).ok());
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0][3].values, (std::vector<std::string>{"a", "b", "c"}));

  std::string raw = "_time,EventCode\n1,4724\n";
  EXPECT_EQ(ParseFindingsCsv(&raw, &got).code(), Status::Code::kInvalidArgument);
  std::string broken = "detection\n\"unclosed\n";
  EXPECT_EQ(ParseFindingsCsv(&broken, &got).code(), Status::Code::kParse);
  std::string empty;
  EXPECT_TRUE(ParseFindingsCsv(&empty, &got).ok());
  EXPECT_TRUE(got.empty());
}

}  // namespace
}  // namespace vd::command
