#include "modinput/checkpoint.h"

#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include "modinput/event_writer.h"
#include "modinput/graph_json.h"
#include "test_util.h"

namespace vd::modinput {
namespace {

class TempDir {
 public:
  TempDir() {
    std::string templ = (std::filesystem::temp_directory_path() / "vd_ckpt_XXXXXX").string();
    path_ = mkdtemp(templ.data());
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

TEST(CheckpointTest, RoundTripsThroughTheFile) {
  TempDir dir;
  CheckpointStore store(dir.path(), "entra_audit://tenant A");
  Result<std::optional<Checkpoint>> none = store.Load();
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none.value().has_value());

  Checkpoint cp;
  cp.watermark = 1709287200123;
  cp.ids = {{"Directory_1_\"quoted\"", 1709287100000}, {"SSGM_2", 1709287200123}};
  ASSERT_TRUE(store.Save(cp).ok());
  Result<std::optional<Checkpoint>> back = store.Load();
  ASSERT_TRUE(back.ok()) << back.status().message();
  ASSERT_TRUE(back.value().has_value());
  EXPECT_EQ(back.value()->watermark, cp.watermark);
  ASSERT_EQ(back.value()->ids.size(), 2u);
  EXPECT_EQ(back.value()->ids[0].id, "Directory_1_\"quoted\"");
  EXPECT_EQ(back.value()->ids[1].time, 1709287200123);
  EXPECT_FALSE(std::filesystem::exists(store.path() + ".tmp"));

  // Overwrite with a smaller checkpoint: the file is replaced, not patched.
  cp.ids.clear();
  ASSERT_TRUE(store.Save(cp).ok());
  EXPECT_TRUE(store.Load().value()->ids.empty());
}

TEST(CheckpointTest, FileNamesAreSafeAndDistinct) {
  std::string a = CheckpointFileName("entra_audit://a:b");
  std::string b = CheckpointFileName("entra_audit://a_b");
  std::string c = CheckpointFileName("entra_audit://../../etc/passwd");
  EXPECT_NE(a, b);
  for (const std::string& name : {a, b, c}) {
    EXPECT_EQ(name.find('/'), std::string::npos) << name;
    EXPECT_NE(name.substr(0, 2), "..");
  }
  EXPECT_EQ(CheckpointFileName("x"), CheckpointFileName("x"));
}

TEST(CheckpointTest, CorruptOrForeignFilesAreErrorsNotAFreshStart) {
  TempDir dir;
  CheckpointStore store(dir.path(), "entra_audit://t");
  for (const char* text : {"", "{\"version\":1,\"watermark_ms\":5", "[]",
                           "{\"version\":2,\"watermark_ms\":5,\"ids\":[]}",
                           "{\"version\":1,\"watermark_ms\":5,\"ids\":[[1,2]]}"}) {
    std::ofstream(store.path(), std::ios::trunc) << text;
    Result<std::optional<Checkpoint>> r = store.Load();
    EXPECT_FALSE(r.ok()) << text;
  }
  // A temp file left by a killed save is ignored: the real file is what counts.
  std::filesystem::remove(store.path());
  std::ofstream(store.path() + ".tmp") << "{\"version\":1";
  Result<std::optional<Checkpoint>> r = store.Load();
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r.value().has_value());
  Checkpoint cp;
  cp.watermark = 7;
  ASSERT_TRUE(store.Save(cp).ok());
  EXPECT_EQ(store.Load().value()->watermark, 7);
}

// A corrupt file of nested brackets (the recursive parser overflowed its stack on it) and
// Graph bodies nested past the limit are parse errors.
TEST(CheckpointTest, DeeplyNestedJsonIsAnErrorNotACrash) {
  const std::string deep =
      "{\"version\":1,\"watermark_ms\":5,\"ids\":" + std::string(1'000'000, '[') +
      std::string(1'000'000, ']') + "}";
  EXPECT_EQ(ParseCheckpoint(deep).status().code(), Status::Code::kParse);
  const std::string page = "{\"value\":[{\"id\":\"a\",\"x\":" + std::string(1'000'000, '[') +
                           std::string(1'000'000, ']') + "}]}";
  auto parsed = ParseGraphPage(page, "activityDateTime");
  ASSERT_FALSE(parsed.ok());
  EXPECT_NE(parsed.status().message().find("nested deeper than 64"), std::string::npos);
  EXPECT_EQ(ParseTokenResponse(std::string(1'000'000, '[')).status().code(), Status::Code::kParse);
  EXPECT_FALSE(ParseStoragePassword(std::string(1'000'000, '{')).ok());
  EXPECT_NE(DescribeGraphError(500, std::string(1'000'000, '[')).find("HTTP 500"),
            std::string::npos);
  EXPECT_NE(DescribeTokenError(400, std::string(1'000'000, '[')).find("HTTP 400"),
            std::string::npos);
  // Brackets inside strings are not nesting; 64 levels are fine.
  const std::string ok = "{\"value\":[{\"id\":\"[[[[{{{{\\\"[[\",\"d\":" + std::string(61, '[') +
                         std::string(61, ']') + "}]}";
  auto fine = ParseGraphPage(ok, "activityDateTime");
  ASSERT_TRUE(fine.ok()) << fine.status().message();
  EXPECT_EQ(fine.value().records.at(0).id, "[[[[{{{{\"[[");
}

// Found by fuzz_graph_json: the error code of a Graph error body went into the log line
// unfiltered (bytes that are not printable ASCII, or not UTF-8 at all).
TEST(GraphJsonTest, ErrorDescriptionsArePrintableWhateverTheBodyHolds) {
  const std::string body =
      "{\"error\":{\"code\":\"in\x8b\x9e\x93\xdf\\u001b[31m\",\"message\":\"x\"}}";
  const std::string text = DescribeGraphError(400, body);
  EXPECT_EQ(text, "HTTP 400 in     [31m: x");
}

TEST(EventWriterTest, WritesSplunksStreamShapeAndNothingForAnEmptyRun) {
  TempDir dir;
  std::string path = dir.path() + "/out.xml";
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  ASSERT_GE(fd, 0);
  {
    EventWriter empty(fd);
    ASSERT_TRUE(empty.Close().ok());
  }
  EXPECT_EQ(testing::ReadFile(path), "");

  EventWriter writer(fd);
  writer.Add("entra_audit://t<1>", 1372274622493, "ms:entra:audit",
             R"({"id":"a&b","activityDisplayName":"Reset user password","x":"</data>"})");
  ASSERT_TRUE(writer.Flush().ok());
  // Flushed events are in the file before the stream is closed.
  EXPECT_NE(testing::ReadFile(path).find("</event>"), std::string::npos);
  writer.Add("entra_audit://t<1>", 1372274622000, "ms:entra:audit", R"({"id":"b"})");
  ASSERT_TRUE(writer.Close().ok());
  ::close(fd);

  auto tree = testing::ParseXml(testing::ReadFile(path));
  auto splunk = testing::ParseXml(testing::DataFile("splunk_sdk/stream_with_two_events.xml"));
  int n = 0;
  for (const auto& [k, ev] : tree.get_child("stream")) {
    ASSERT_EQ(k, "event");
    EXPECT_EQ(ev.get<std::string>("<xmlattr>.stanza"), "entra_audit://t<1>");
    EXPECT_EQ(ev.get<std::string>("<xmlattr>.unbroken"), "1");
    EXPECT_TRUE(ev.get_child_optional("done").has_value());
    EXPECT_EQ(ev.get<std::string>("sourcetype"), "ms:entra:audit");
    rapidjson::Document doc;
    doc.Parse(ev.get<std::string>("data").c_str());
    EXPECT_FALSE(doc.HasParseError());
    // Every element we emit is one Splunk's own stream documents use.
    for (const auto& [ek, ev2] : ev) {
      if (ek == "<xmlattr>") continue;
      EXPECT_TRUE(splunk.get_child("stream").begin()->second.get_child_optional(ek).has_value())
          << ek;
    }
    ++n;
  }
  EXPECT_EQ(n, 2);
  EXPECT_EQ(tree.get<std::string>("stream.event.time"), "1372274622.493");
}

}  // namespace
}  // namespace vd::modinput
