#include "scp/chunk_reader.h"

#include <cstring>
#include <iterator>
#include <string>

#include <gtest/gtest.h>

#include "scp_test_util.h"
#include "support/string_io.h"

namespace vd::scp {
namespace {

using testing::Frame;
using testing::ReadChunks;
using Code = Status::Code;

TEST(ChunkHeaderTest, ExactAndTolerantForms) {
  uint64_t m = 0, b = 0;
  ASSERT_TRUE(ParseChunkHeader("chunked 1.0,846,0", false, &m, &b).ok());
  EXPECT_EQ(m, 846u);
  EXPECT_EQ(b, 0u);
  ASSERT_TRUE(ParseChunkHeader("chunked \t 1.0 , 37 ,\t16109782 \r", false, &m, &b).ok());
  EXPECT_EQ(m, 37u);
  EXPECT_EQ(b, 16109782u);
  // The strict form is what splunkd writes; the driver holds commands to it.
  EXPECT_TRUE(ParseChunkHeader("chunked 1.0,1,2", true, &m, &b).ok());
  EXPECT_EQ(ParseChunkHeader("chunked 1.0, 1,2", true, &m, &b).code(), Code::kProtocol);
  EXPECT_EQ(ParseChunkHeader("chunked  1.0,1,2", true, &m, &b).code(), Code::kProtocol);
}

TEST(ChunkHeaderTest, RefusesMalformedHeaders) {
  uint64_t m = 0, b = 0;
  for (const char* bad :
       {"chunked 1.0,abc,def", "chunked 1.0,-5,0", "chunked 1.0,5", "chunked 2.0,1,1",
        "chunked1.0,1,1", "chunked 1.0,,1", "chunked 1.0,1,1,1", "chunked 1.0,1,1x",
        "CHUNKED 1.0,1,1", "", "hello"}) {
    Status s = ParseChunkHeader(bad, false, &m, &b);
    EXPECT_EQ(s.code(), Code::kProtocol) << bad;
    EXPECT_NE(s.message().find("expected \"chunked 1.0,"), std::string::npos) << s.message();
  }
  // 20+ digits cannot be a length; reported as a limit violation without overflow.
  EXPECT_EQ(ParseChunkHeader("chunked 1.0,1,123456789012345678901", false, &m, &b).code(),
            Code::kLimit);
}

TEST(ChunkReaderTest, ReadsConsecutiveChunksWithoutSeparators) {
  std::string bytes =
      Frame(R"({"action":"getinfo"})") + Frame(R"({"a":1})", "x,y\n1,2\n") + Frame("{}", "");
  Status end;
  auto chunks = ReadChunks(bytes, &end);
  ASSERT_EQ(chunks.size(), 3u);
  EXPECT_EQ(end.code(), Code::kEndOfStream);
  EXPECT_EQ(chunks[0].metadata, R"({"action":"getinfo"})");
  EXPECT_EQ(chunks[1].body, "x,y\n1,2\n");
  EXPECT_EQ(chunks[2].metadata, "{}");
  EXPECT_EQ(chunks[2].body, "");
}

TEST(ChunkReaderTest, ShortReadsGiveTheSameChunks) {
  std::string bytes = testing::ReadData("accumages_stateful.input.bin");
  ASSERT_FALSE(bytes.empty());
  Status end_all, end_one, end_seven;
  auto all = ReadChunks(bytes, &end_all);
  auto one = ReadChunks(bytes, &end_one, 1);
  auto seven = ReadChunks(bytes, &end_seven, 7);
  ASSERT_EQ(all.size(), 4u);
  ASSERT_EQ(one.size(), all.size());
  ASSERT_EQ(seven.size(), all.size());
  for (size_t i = 0; i < all.size(); ++i) {
    EXPECT_EQ(one[i].metadata, all[i].metadata);
    EXPECT_EQ(one[i].body, all[i].body);
    EXPECT_EQ(seven[i].body, all[i].body);
  }
  EXPECT_EQ(end_one.code(), Code::kEndOfStream);
}

TEST(ChunkReaderTest, SkipsStrayLineEndsBeforeAHeader) {
  std::string bytes = "\r\n\n" + Frame("{}", "ab") + "\n" + Frame("{}") + "\r\n";
  Status end;
  auto chunks = ReadChunks(bytes, &end);
  ASSERT_EQ(chunks.size(), 2u);
  EXPECT_EQ(chunks[0].body, "ab");
  EXPECT_EQ(end.code(), Code::kEndOfStream);
}

TEST(ChunkReaderTest, EndOfInputPlacesAreTold) {
  Status end;
  EXPECT_TRUE(ReadChunks("", &end).empty());
  EXPECT_EQ(end.code(), Code::kEndOfStream);
  ReadChunks("chunked 1.0,2", &end);
  EXPECT_EQ(end.code(), Code::kPartial);
  ReadChunks("chunked 1.0,10,0\n{\"a\"", &end);
  EXPECT_EQ(end.code(), Code::kPartial);
  EXPECT_NE(end.message().find("metadata after 4 of 10"), std::string::npos) << end.message();
  ReadChunks("chunked 1.0,2,10\n{}abc", &end);
  EXPECT_EQ(end.code(), Code::kPartial);
  EXPECT_NE(end.message().find("body after 3 of 10"), std::string::npos) << end.message();
}

TEST(ChunkReaderTest, GarbageIsRefusedWithoutWaitingForALineEnd) {
  // A source that would block forever after the first bytes: the reader must decide first.
  class NoMore : public ByteSource {
   public:
    Status Read(char* buf, size_t n, size_t* got) override {
      if (sent_) return Status::Timeout("would block");
      sent_ = true;
      std::string_view g = "GET / HTTP/1.1";
      *got = std::min(n, g.size());
      memcpy(buf, g.data(), *got);
      return Status::Ok();
    }
    bool sent_ = false;
  } source;
  ChunkReader reader(&source);
  Chunk chunk;
  EXPECT_EQ(reader.Next(&chunk).code(), Code::kProtocol);
}

TEST(ChunkReaderTest, OverlongHeaderIsRefused) {
  Status end;
  ReadChunks("chunked 1.0,1" + std::string(200, ' ') + ",1\n{}", &end);
  EXPECT_EQ(end.code(), Code::kProtocol);
  EXPECT_NE(end.message().find("longer than 128"), std::string::npos) << end.message();
}

TEST(ChunkReaderTest, AbsurdDeclaredLengthsAreRefusedBeforeReading) {
  Status end;
  ReadChunks("chunked 1.0,0,99999999999999\n", &end);
  EXPECT_EQ(end.code(), Code::kLimit);
  EXPECT_NE(end.message().find("99999999999999 body bytes"), std::string::npos) << end.message();
  ReadChunks("chunked 1.0,99999999999999,0\n", &end);
  EXPECT_EQ(end.code(), Code::kLimit);
  ReaderLimits small;
  small.max_body_bytes = 100;
  ReadChunks(Frame("{}", std::string(101, 'x')), &end, SIZE_MAX, small);
  EXPECT_EQ(end.code(), Code::kLimit);
  Status ok;
  EXPECT_EQ(ReadChunks(Frame("{}", std::string(100, 'x')), &ok, SIZE_MAX, small).size(), 1u);
}

TEST(ChunkReaderTest, BuffersGrowWithWhatArrivesNotWithTheDeclaredLength) {
  ReaderLimits big;
  big.max_body_bytes = 8ull << 30;
  std::string bytes = "chunked 1.0,2,4000000000\n{}" + std::string(300000, 'x');
  StringSource source(bytes, 4096);
  ChunkReader reader(&source, big);
  Chunk chunk;
  Status s = reader.Next(&chunk);
  EXPECT_EQ(s.code(), Code::kPartial);
  EXPECT_EQ(chunk.body.size(), 300000u);
  EXPECT_LE(chunk.body.capacity(), 2u * 300000u + 65536u);
}

TEST(ChunkReaderTest, LargeBodyArrivesIntact) {
  std::string body(5'000'000, '\0');
  for (size_t i = 0; i < body.size(); ++i) body[i] = static_cast<char>(i * 131 % 251);
  Status end;
  auto chunks = ReadChunks(Frame("{}", body) + Frame("{}", "z"), &end, 100000);
  ASSERT_EQ(chunks.size(), 2u);
  EXPECT_TRUE(chunks[0].body == body);
  EXPECT_EQ(chunks[1].body, "z");
}

// One Chunk reused for every request (as CommandLoop does): bodies land in the storage it
// already has, so each must come out exactly, larger or smaller than the one before, over
// any read size, and a body cut short holds exactly the bytes that arrived.
TEST(ChunkReaderTest, ReusedChunkHoldsExactlyEachBody) {
  auto body_of = [](size_t n, int seed) {
    std::string b(n, '\0');
    for (size_t i = 0; i < n; ++i) b[i] = static_cast<char>((i * 131 + seed * 7) % 251);
    return b;
  };
  const size_t sizes[] = {300000, 100, 0, 200000, 70000, 400000, 65535, 65536, 1};
  std::string bytes;
  for (size_t i = 0; i < std::size(sizes); ++i) {
    bytes += Frame("{\"i\":" + std::to_string(i) + "}", body_of(sizes[i], static_cast<int>(i)));
  }
  const std::string cut = "chunked 1.0,2,250000\n{}" + body_of(123456, 99);
  for (size_t step : {size_t{1} << 20, size_t{100000}, size_t{4096}, size_t{7}}) {
    SCOPED_TRACE(step);
    StringSource source(bytes + cut, step);
    ChunkReader reader(&source, ReaderLimits{});
    Chunk chunk;
    for (size_t i = 0; i < std::size(sizes); ++i) {
      ASSERT_TRUE(reader.Next(&chunk).ok()) << i;
      EXPECT_EQ(chunk.metadata, "{\"i\":" + std::to_string(i) + "}");
      ASSERT_EQ(chunk.body.size(), sizes[i]) << i;
      EXPECT_TRUE(chunk.body == body_of(sizes[i], static_cast<int>(i))) << i;
    }
    Status s = reader.Next(&chunk);
    EXPECT_EQ(s.code(), Code::kPartial);
    EXPECT_NE(s.message().find("body after 123456 of 250000"), std::string::npos) << s.message();
    EXPECT_TRUE(chunk.body == body_of(123456, 99));
  }
}

}  // namespace
}  // namespace vd::scp
