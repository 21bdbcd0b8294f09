#include "scp/chunk_writer.h"

#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "scp/byte_io.h"

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
