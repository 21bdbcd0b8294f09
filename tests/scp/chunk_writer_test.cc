#include "scp/chunk_writer.h"

#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "scp/byte_io.h"
#include "support/string_io.h"

namespace vd::scp {
namespace {

TEST(ChunkWriterTest, WritesTheExactFraming) {
  StringSink sink;
  ChunkWriter writer(&sink);
  ASSERT_TRUE(writer.Write(R"({"finished":true})", "a\n1\n").ok());
  ASSERT_TRUE(writer.Write(R"({"type":"streaming"})", "").ok());
  EXPECT_EQ(sink.data(),
            "chunked 1.0,17,4\n{\"finished\":true}a\n1\n"
            "chunked 1.0,20,0\n{\"type\":\"streaming\"}");
  EXPECT_EQ(writer.chunks_written(), 2u);
}

// A body written in pieces: `pieces` of `piece`, announcing `announced` bytes.
class PiecesBody : public StreamedBody {
 public:
  PiecesBody(std::string piece, int pieces, uint64_t announced)
      : piece_(std::move(piece)), pieces_(pieces), announced_(announced) {}
  uint64_t size() const override { return announced_; }
  Status WriteTo(ByteSink* sink) override {
    for (int i = 0; i < pieces_; ++i) {
      if (Status s = sink->Write(piece_); !s.ok()) return s;
    }
    return Status::Ok();
  }

 private:
  std::string piece_;
  int pieces_;
  uint64_t announced_;
};

TEST(ChunkWriterTest, StreamedBodyIsFramedLikeAWholeOne) {
  StringSink whole, streamed;
  ASSERT_TRUE(ChunkWriter(&whole).Write(R"({"finished":true})", "abcabcabc").ok());
  PiecesBody body("abc", 3, 9);
  ChunkWriter writer(&streamed);
  ASSERT_TRUE(writer.WriteStreamed(R"({"finished":true})", &body).ok());
  EXPECT_EQ(streamed.data(), whole.data());
  EXPECT_EQ(writer.chunks_written(), 1u);
}

TEST(ChunkWriterTest, StreamedBodyOfAnotherSizeThanAnnouncedIsAnError) {
  for (int pieces : {2, 4}) {
    StringSink sink;
    PiecesBody body("abc", pieces, 9);
    ChunkWriter writer(&sink);
    Status s = writer.WriteStreamed("{}", &body);
    EXPECT_FALSE(s.ok()) << pieces;
    EXPECT_NE(s.message().find("after announcing 9"), std::string::npos) << s.message();
    EXPECT_EQ(writer.chunks_written(), 0u);
  }
}

TEST(ChunkWriterTest, LengthsAreBytesNotCharacters) {
  StringSink sink;
  ChunkWriter writer(&sink);
  ASSERT_TRUE(writer.Write("{}", "t\n\xe0\xb8\x97\n").ok());  // U+0E17: 1 character, 3 bytes
  EXPECT_EQ(sink.data().substr(0, 16), "chunked 1.0,2,6\n");
}

TEST(ChunkWriterTest, ClosedReaderIsAnErrorNotASignal) {
  IgnoreSigpipe();
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  close(fds[0]);
  FdSink sink(fds[1], -1, /*owned=*/true);
  ChunkWriter writer(&sink);
  Status s = writer.Write("{}", std::string(100000, 'x'));
  EXPECT_EQ(s.code(), Status::Code::kIo);
  EXPECT_NE(s.message().find("Broken pipe"), std::string::npos) << s.message();
}

TEST(ChunkWriterTest, PipeDeliversLargeRepliesWhole) {
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  std::string body(3'000'000, 'b');
  std::string got;
  pid_t pid = fork();
  if (pid == 0) {
    close(fds[0]);
    FdSink sink(fds[1], -1, true);
    ChunkWriter writer(&sink);
    _exit(writer.Write("{}", body).ok() ? 0 : 1);
  }
  close(fds[1]);
  FdSource source(fds[0], 10000, true);
  char buf[65536];
  size_t n = 0;
  while (source.Read(buf, sizeof buf, &n).ok() && n > 0) got.append(buf, n);
  int status = 0;
  waitpid(pid, &status, 0);
  EXPECT_EQ(got, "chunked 1.0,2,3000000\n{}" + body);
}

}  // namespace
}  // namespace vd::scp
