#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "common/status.h"

namespace vd::scp {

// Where chunk bytes come from. Read() may return fewer bytes than asked (pipes deliver
// whatever has arrived); 0 bytes with an ok Status means end of stream.
class ByteSource {
 public:
  virtual ~ByteSource() = default;
  virtual Status Read(char* buf, size_t n, size_t* got) = 0;
};

// Where reply bytes go. Write() either writes every byte of every piece or fails.
class ByteSink {
 public:
  virtual ~ByteSink() = default;
  virtual Status Write(std::string_view a, std::string_view b = {}, std::string_view c = {}) = 0;
};

// A file descriptor (stdin/stdout, a pipe). timeout_ms < 0 blocks; otherwise every Read or
// Write that makes no progress for that long fails with kTimeout (the driver side uses this so
// a stuck command cannot hang a test). The descriptor is not owned unless `owned`.
class FdSource : public ByteSource {
 public:
  explicit FdSource(int fd, int timeout_ms = -1, bool owned = false);
  ~FdSource() override;
  Status Read(char* buf, size_t n, size_t* got) override;
  int fd() const { return fd_; }

 private:
  int fd_;
  int timeout_ms_;
  bool owned_;
};

class FdSink : public ByteSink {
 public:
  explicit FdSink(int fd, int timeout_ms = -1, bool owned = false);
  ~FdSink() override;
  Status Write(std::string_view a, std::string_view b = {}, std::string_view c = {}) override;
  void Close();
  int fd() const { return fd_; }

 private:
  int fd_;
  int timeout_ms_;
  bool owned_;
};

// splunkd may close our stdout at any time; a write must then fail with EPIPE (a Status),
// not kill the process with SIGPIPE.
void IgnoreSigpipe();

}  // namespace vd::scp
