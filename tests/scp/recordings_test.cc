// Every recorded session (splunkd 6.3 pre-release, 8.0.3, 8.2.1) parsed chunk by chunk by the
// framing layer: declared lengths, metadata, CSV row counts. Expected numbers were counted
// independently (Python's csv module on the same bytes) and are listed per file.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "common/time.h"
#include "csv/multivalue.h"
#include "csv/reader.h"
#include "scp/metadata.h"
#include "scp_test_util.h"

namespace vd::scp {
namespace {

using Code = Status::Code;
constexpr int kNoBody = -1;

struct Recording {
  const char* name;
  bool is_input;  // splunkd -> command (requests) or command -> splunkd
  std::vector<uint64_t> meta_lens;
  std::vector<uint64_t> body_lens;
  std::vector<int> data_rows;  // kNoBody for an empty body
  Code end = Code::kEndOfStream;
};

const std::vector<Recording>& Recordings() {
  static const std::vector<Recording> r = {
      {"accumages_stateful.input.bin",
       true,
       {768, 37, 37, 36},
       {0, 124, 79, 79},
       {kNoBody, 5, 0, 0}},
      {"accumages_stateful.output.bin",
       false,
       {57, 18, 18, 17},
       {0, 127, 0, 0},
       {kNoBody, 5, kNoBody, kNoBody}},
      {"averageage_reporting.input.bin", true, {726, 36}, {0, 35}, {kNoBody, 5}},
      {"averageage_reporting.output.bin", false, {46, 17}, {0, 13}, {kNoBody, 1}},
      {"doubleage_streaming.input.bin", true, {700, 37, 36}, {0, 85, 50}, {kNoBody, 5, 0}},
      {"doubleage_streaming.output.bin", false, {46, 18, 17}, {0, 82, 0}, {kNoBody, 5, kNoBody}},
      {"events.input.bin", true, {734}, {0}, {kNoBody}},
      {"events.output.bin", false, {43}, {0}, {kNoBody}},
      {"generateevents_generating_stateful.input.bin", true, {709, 36}, {0, 151}, {kNoBody, 0}},
      {"generateevents_generating_stateful.output.bin", false, {106}, {0}, {kNoBody}},
      {"reporting.input.bin", true, {732, 36}, {0, 35}, {kNoBody, 5}},
      {"reporting.output.bin", false, {46}, {0}, {kNoBody}},
      {"sortages_events.input.bin", true, {757, 36}, {0, 927}, {kNoBody, 5}},
      {"sortages_events.output.bin", false, {43, 17}, {0, 871}, {kNoBody, 5}},
      {"stateful.input.bin", true, {734, 37, 37, 36}, {0, 85, 50, 50}, {kNoBody, 5, 0, 0}},
      {"stateful.output.bin", false, {45, 18, 18}, {0, 88, 50}, {kNoBody, 5, 0}},
      {"streaming.input.bin", true, {895, 37, 36}, {0, 85, 50}, {kNoBody, 5, 0}},
      {"streaming.output.bin", false, {46, 18, 17}, {0, 88, 50}, {kNoBody, 5, 0}},
      {"countmatches.input", true, {846, 36}, {0, 48108}, {kNoBody, 500}},
      {"countmatches.output", false, {20, 17}, {0, 49651}, {kNoBody, 500}},
      // The 2017 hand edit cut this execute chunk: its declared 150-byte body is not there.
      {"generatehello.input", true, {770}, {0}, {kNoBody}, Code::kPartial},
      // Declares 38 metadata bytes for 37 bytes of JSON plus a CR (a hand edit); still parses.
      {"generatehello.output", false, {38, 17}, {0, 37842}, {kNoBody, 1000}},
      {"pypygeneratetext.input", true, {810}, {0}, {kNoBody}},
      {"pypygeneratetext.output", false, {38, 17}, {0, 39840}, {kNoBody, 1000}},
      {"sum.map.input.gz", true, {795, 36}, {0, 16109782}, {kNoBody, 50000}},
      {"sum.map.output", false, {20, 17}, {0, 34}, {kNoBody, 1}},
      {"sum.reduce.input", true, {765, 36}, {0, 36}, {kNoBody, 1}},
      {"sum.reduce.output", false, {81, 17}, {0, 34}, {kNoBody, 1}},
      {"multibyte_input.gz",
       true,
       {658, 37, 37, 37, 37, 37, 37, 37, 37, 36},
       {0, 172638, 152436, 76, 170974, 154126, 166762, 158338, 45286, 37516},
       {kNoBody, 6638, 5861, 1, 6574, 5926, 6412, 6088, 1741, 1441}},
      {"record_writer_stress.output", false, {14904}, {762288}, {31}},
  };
  return r;
}

size_t Utf8Characters(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

class RecordingTest : public ::testing::TestWithParam<Recording> {};

TEST_P(RecordingTest, ParsesChunkByChunk) {
  const Recording& rec = GetParam();
  std::string bytes = testing::ReadData(rec.name);
  ASSERT_FALSE(bytes.empty()) << "missing " << rec.name;
  for (size_t max_read : {SIZE_MAX, size_t{4093}}) {
    Status end;
    auto chunks = testing::ReadChunks(bytes, &end, max_read);
    EXPECT_EQ(end.code(), rec.end) << end.message();
    ASSERT_EQ(chunks.size(), rec.meta_lens.size());
    for (size_t i = 0; i < chunks.size(); ++i) {
      SCOPED_TRACE(i);
      const Chunk& c = chunks[i];
      EXPECT_EQ(c.metadata.size(), rec.meta_lens[i]);
      EXPECT_EQ(c.body.size(), rec.body_lens[i]);
      if (rec.is_input) {
        RequestMetadata m;
        ASSERT_TRUE(ParseRequestMetadata(c.metadata, &m).ok()) << c.metadata;
        EXPECT_EQ(m.action, i == 0 ? Action::kGetInfo : Action::kExecute);
        if (i > 0) {
          EXPECT_EQ(m.finished, i + 1 == chunks.size());
        }
      } else {
        ParsedReply r;
        ASSERT_TRUE(ParseReplyMetadata(c.metadata, &r).ok()) << c.metadata.substr(0, 200);
      }
      if (rec.data_rows[i] == kNoBody) {
        EXPECT_TRUE(c.body.empty());
        continue;
      }
      std::string body = c.body;
      Result<size_t> rows = csv::CountRows(body.data(), body.size());
      ASSERT_TRUE(rows.ok()) << rows.status().message();
      EXPECT_EQ(static_cast<int>(rows.value()) - 1, rec.data_rows[i]);
    }
  }
}

INSTANTIATE_TEST_SUITE_P(AllRecordings, RecordingTest, ::testing::ValuesIn(Recordings()),
                         [](const ::testing::TestParamInfo<Recording>& info) {
                           std::string n;
                           for (char c : std::string(info.param.name))
                             n += isalnum(static_cast<unsigned char>(c)) ? c : '_';
                           return n;
                         });

TEST(RecordingDetailTest, SumMapIsOneHugeChunkWithIsoTimes) {
  Status end;
  auto chunks = testing::ReadChunks(testing::ReadData("sum.map.input.gz"), &end);
  ASSERT_EQ(chunks.size(), 2u);
  RequestMetadata getinfo;
  ASSERT_TRUE(ParseRequestMetadata(chunks[0].metadata, &getinfo).ok());
  EXPECT_EQ(getinfo.searchinfo.splunk_version, "20150522");
  EXPECT_NE(std::find(getinfo.searchinfo.args.begin(), getinfo.searchinfo.args.end(), "phase=map"),
            getinfo.searchinfo.args.end());
  std::string body = chunks[1].body;
  csv::Reader reader(body.data(), body.size());
  std::vector<std::string_view> cells;
  ASSERT_TRUE(reader.Next(&cells));
  auto it = std::find(cells.begin(), cells.end(), "_time");
  ASSERT_NE(it, cells.end());
  size_t time_col = static_cast<size_t>(it - cells.begin());
  size_t rows = 0, iso = 0;
  while (reader.Next(&cells)) {
    ++rows;
    ASSERT_LT(time_col, cells.size());
    TimeMs t = 0;
    if (cells[time_col].find('T') != std::string_view::npos && TryParseTime(cells[time_col], &t))
      ++iso;
  }
  EXPECT_TRUE(reader.status().ok());
  EXPECT_EQ(rows, 50000u);
  EXPECT_EQ(iso, 50000u);
}

TEST(RecordingDetailTest, MultibyteChunksCountBytesNotCharacters) {
  Status end;
  auto chunks = testing::ReadChunks(testing::ReadData("multibyte_input.gz"), &end);
  ASSERT_EQ(chunks.size(), 10u);
  for (size_t i = 1; i < chunks.size(); ++i) {
    EXPECT_GT(chunks[i].body.size(), Utf8Characters(chunks[i].body)) << i;
  }
  // The 8.0.3 getinfo was re-serialised by the SDK with float times: numbers are accepted.
  RequestMetadata m;
  ASSERT_TRUE(ParseRequestMetadata(chunks[0].metadata, &m).ok());
  EXPECT_TRUE(m.searchinfo.earliest_time.has_value());
  EXPECT_EQ(m.searchinfo.splunk_version, "8.0.3");
}

TEST(RecordingDetailTest, RecordWriterStressSurvivesMultivalueRoundTrip) {
  Status end;
  auto chunks = testing::ReadChunks(testing::ReadData("record_writer_stress.output"), &end);
  ASSERT_EQ(chunks.size(), 1u);
  // Metadata: many inspector messages with random text, including lone UTF-16 surrogates.
  ParsedReply reply;
  ASSERT_TRUE(ParseReplyMetadata(chunks[0].metadata, &reply).ok());
  EXPECT_EQ(reply.messages.size(), 5u);
  EXPECT_NE(chunks[0].metadata.find("\\ud"), std::string::npos);
  EXPECT_EQ(reply.finished, true);

  std::string body = chunks[0].body;
  EXPECT_NE(body.find("\r\n"), std::string::npos);  // the SDK writes CRLF rows
  csv::Reader reader(body.data(), body.size());
  std::vector<std::string_view> header, cells;
  ASSERT_TRUE(reader.Next(&cells));
  std::vector<std::string> names(cells.begin(), cells.end());
  size_t decoded_cells = 0;
  std::vector<std::string> values, again;
  while (reader.Next(&cells)) {
    ASSERT_EQ(cells.size(), names.size());
    for (size_t i = 0; i < cells.size(); ++i) {
      if (names[i].rfind("__mv_", 0) != 0 || cells[i].empty()) continue;
      ASSERT_TRUE(csv::DecodeMultivalue(cells[i], &values)) << names[i];
      std::vector<std::string_view> views(values.begin(), values.end());
      std::string plain, mv;
      csv::EncodeMultivalue(views, &plain, &mv);
      if (values.size() >= 2) {
        ASSERT_TRUE(csv::DecodeMultivalue(mv, &again));
        EXPECT_EQ(again, values);
      }
      ++decoded_cells;
    }
  }
  EXPECT_TRUE(reader.status().ok()) << reader.status().message();
  EXPECT_GT(decoded_cells, 0u);
}

}  // namespace
}  // namespace vd::scp
