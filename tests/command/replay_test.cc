// ReplayExport in process: format detection, both formats' rows, bad lines, the size limit.
#include "command/replay.h"

#include <stdio.h>
#include <unistd.h>

#include <gtest/gtest.h>

namespace vd::command {
namespace {

Arguments Defaults() {
  Arguments a;
  EXPECT_TRUE(ParseArguments({}, &a).ok());
  return a;
}

const char kCsv[] =
    "_time,sourcetype,EventCode,SubjectUserName,TargetUserName\n"
    "1748600000,WinEventLog:Security,4724,adm-x,u1\n"
    "\n"
    "1748600060,WinEventLog:Security,4724,adm-x,u2\n"
    "1748600120,WinEventLog:Security,4723,u3,u3\n";

TEST(ReplayExport, CsvWithBomAndBlankLines) {
  std::string data = "\xEF\xBB\xBF" + std::string(kCsv);
  ReplayOutcome o;
  ASSERT_TRUE(ReplayExport(&data, Defaults(), &o).ok());
  EXPECT_FALSE(o.json_lines);
  EXPECT_EQ(o.counts.read, 3u);
  EXPECT_EQ(o.counts.recognized, 2u);
  EXPECT_EQ(o.counts.irrelevant, 1u);
  ASSERT_EQ(o.findings.bulk.size(), 1u);
  EXPECT_EQ(o.findings.bulk[0].unique_targets, 2);
  EXPECT_NE(o.Summary().find("replay (CSV): rows read 3, recognized 2"), std::string::npos)
      << o.Summary();
}

TEST(ReplayExport, JsonLinesOfEveryShapeIncludingSplunksExport) {
  std::string data =
      "\n  {\"activityDisplayName\":\"Reset password (by "
      "admin)\",\"activityDateTime\":\"2025-05-30T10:00:00Z\","
      "\"id\":\"a1\",\"result\":\"success\",\"initiatedBy\":{\"user\":{\"userPrincipalName\":\"adm-"
      "y@contoso.com\"}},"
      "\"targetResources\":[{\"type\":\"Device\",\"displayName\":\"pc\"},{\"type\":\"User\","
      "\"userPrincipalName\":\"v1@contoso.com\"}]}\n"
      "{\"preview\":false,\"offset\":1,\"result\":{\"_time\":\"2025-05-30T10:05:00.000+00:00\","
      "\"sourcetype\":\"WinEventLog:Security\",\"EventCode\":\"4724\",\"SubjectUserName\":\"adm-"
      "y\","
      "\"TargetUserName\":[\"v2\"]}}\n"
      "not json\n";
  ReplayOutcome o;
  ASSERT_TRUE(ReplayExport(&data, Defaults(), &o).ok());
  EXPECT_TRUE(o.json_lines);
  EXPECT_EQ(o.counts.read, 3u);
  EXPECT_EQ(o.counts.recognized, 2u);
  EXPECT_EQ(o.malformed_lines, 1u);
  ASSERT_EQ(o.findings.bulk.size(), 1u);  // adm-y: v1 (Entra, the User entry) and v2 (AD)
  EXPECT_EQ(o.findings.bulk[0].affected_accounts,
            (std::vector<std::string_view>{"v1@contoso.com", "v2"}));
  EXPECT_NE(o.Summary().find("malformed JSON lines skipped 1"), std::string::npos);
}

TEST(ReplayExport, MalformedCsvIsAnError) {
  std::string data = "_time,EventCode\n1,\"4724\nx";
  ReplayOutcome o;
  Status s = ReplayExport(&data, Defaults(), &o);
  EXPECT_EQ(s.code(), Status::Code::kParse);
  EXPECT_NE(s.message().find("malformed CSV"), std::string::npos) << s.message();
}

TEST(ReplayExport, EmptyInputHasNoFindings) {
  for (std::string data : {std::string(), std::string("\n\n"), std::string("\xEF\xBB\xBF")}) {
    ReplayOutcome o;
    ASSERT_TRUE(ReplayExport(&data, Defaults(), &o).ok());
    EXPECT_EQ(o.counts.read, 0u);
    EXPECT_TRUE(o.findings.bulk.empty());
  }
}

TEST(ReadExportFile, LimitAndErrors) {
  std::string path =
      std::string(VD_BINARY_DIR) + "/replay_test_" + std::to_string(getpid()) + ".csv";
  FILE* f = fopen(path.c_str(), "wb");
  ASSERT_NE(f, nullptr);
  fputs(kCsv, f);
  fclose(f);
  std::string data;
  ASSERT_TRUE(ReadExportFile(path, 1 << 20, &data).ok());
  EXPECT_EQ(data, kCsv);
  Status s = ReadExportFile(path, 10, &data);
  EXPECT_EQ(s.code(), Status::Code::kLimit);
  EXPECT_NE(s.message().find("accepts at most 10 bytes"), std::string::npos) << s.message();
  unlink(path.c_str());
  EXPECT_EQ(ReadExportFile(path, 1 << 20, &data).code(), Status::Code::kNotFound);
  EXPECT_EQ(ReadExportFile(VD_BINARY_DIR, 1 << 20, &data).code(), Status::Code::kIo);
}

}  // namespace
}  // namespace vd::command
