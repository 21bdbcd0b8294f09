// The splunkd-side helpers of the driver (the process side is exercised against the real
// vishingcorrelate binary in tests/command).
#include "splunkd_emulator/driver.h"

#include <gtest/gtest.h>

namespace vd::splunkd_emulator {
namespace {

TEST(CommandNameTest, IsTheExecutablesFileNameUnlessGiven) {
  DriverOptions o;
  o.command = {"/opt/splunk/etc/apps/x/bin/mycommand", "--flag"};
  EXPECT_EQ(CommandName(o), "mycommand");
  o.command = {"mycommand"};
  EXPECT_EQ(CommandName(o), "mycommand");
  o.command_name = "othername";
  EXPECT_EQ(CommandName(o), "othername");
}

TEST(TokenizeSplArgsTest, KeepsQuotesInRawArgsOnly) {
  std::vector<std::string> args, raw;
  TokenizeSplArgs(R"x(mode=bulk  helpdesk_regex="(?i)(help desk|support)" text="say \"hi\"" flag)x",
                  &args, &raw);
  EXPECT_EQ(args, (std::vector<std::string>{"mode=bulk", "helpdesk_regex=(?i)(help desk|support)",
                                            "text=say \"hi\"", "flag"}));
  EXPECT_EQ(raw,
            (std::vector<std::string>{"mode=bulk", R"x(helpdesk_regex="(?i)(help desk|support)")x",
                                      R"x(text="say \"hi\"")x", "flag"}));
  TokenizeSplArgs("   ", &args, &raw);
  EXPECT_TRUE(args.empty());
}

TEST(SplitCsvRowsTest, RowsKeepQuotedNewlinesAndGetTerminators) {
  std::string header;
  std::vector<std::string_view> rows;
  ASSERT_TRUE(SplitCsvRows("a,b\r\n1,\"x\ny\"\n2,3", &header, &rows).ok());
  EXPECT_EQ(header, "a,b\r\n");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0], "1,\"x\ny\"\n");
  EXPECT_EQ(rows[1], "2,3");
  EXPECT_FALSE(SplitCsvRows("a\n\"open", &header, &rows).ok());
  ASSERT_TRUE(SplitCsvRows("", &header, &rows).ok());
  EXPECT_TRUE(header.empty());
}

TEST(ConcatCsvTablesTest, UnionOfHeaders) {
  std::string out;
  ASSERT_TRUE(ConcatCsvTables({"a,b\n1,2\n", "", "b,c\n3,\"x,y\"\n"}, &out).ok());
  EXPECT_EQ(out, "a,b,c\n1,2,\n,3,\"x,y\"\n");
  ASSERT_TRUE(ConcatCsvTables({"a,b\n", "a\n"}, &out).ok());
  EXPECT_EQ(out, "a,b\n");
  ASSERT_TRUE(ConcatCsvTables({}, &out).ok());
  EXPECT_EQ(out, "");
}

}  // namespace
}  // namespace vd::splunkd_emulator
