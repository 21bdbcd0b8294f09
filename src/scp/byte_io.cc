#include "scp/byte_io.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <string>

namespace vd::scp {
namespace {

std::string ErrnoText(const char* what, int err) {
  return std::string(what) + ": " + strerror(err);
}

// Waits until fd is ready for `events` or the timeout passes. Returns false on timeout.
bool WaitReady(int fd, short events, int timeout_ms) {
  if (timeout_ms < 0) return true;
  pollfd p{fd, events, 0};
  for (;;) {
    int r = poll(&p, 1, timeout_ms);
    if (r > 0) return true;
    if (r == 0) return false;
    if (errno != EINTR) return true;  // let the read/write report the error
  }
}

void SetNonBlocking(int fd) {
  int flags = fcntl(fd, F_GETFL);
  if (flags >= 0) fcntl(fd, F_SETFL, flags | O_NONBLOCK);
}

}  // namespace

FdSource::FdSource(int fd, int timeout_ms, bool owned)
    : fd_(fd), timeout_ms_(timeout_ms), owned_(owned) {
  if (timeout_ms_ >= 0) SetNonBlocking(fd_);
}

FdSource::~FdSource() {
  if (owned_ && fd_ >= 0) close(fd_);
}

Status FdSource::Read(char* buf, size_t n, size_t* got) {
  *got = 0;
  for (;;) {
    if (!WaitReady(fd_, POLLIN, timeout_ms_)) {
      return Status::Timeout("no input within " + std::to_string(timeout_ms_) + " ms");
    }
    ssize_t r = read(fd_, buf, n);
    if (r >= 0) {
      *got = static_cast<size_t>(r);
      return Status::Ok();
    }
    if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK) continue;
    return Status::Io(ErrnoText("read", errno));
  }
}

FdSink::FdSink(int fd, int timeout_ms, bool owned)
    : fd_(fd), timeout_ms_(timeout_ms), owned_(owned) {
  if (timeout_ms_ >= 0) SetNonBlocking(fd_);
}

FdSink::~FdSink() { Close(); }

void FdSink::Close() {
  if (owned_ && fd_ >= 0) close(fd_);
  fd_ = -1;
}

Status FdSink::Write(std::string_view a, std::string_view b, std::string_view c) {
  if (fd_ < 0) return Status::Io("write: sink is closed");
  // One writev per attempt keeps header, metadata and body together in the pipe; the loop
  // handles partial writes by advancing through the three pieces.
  iovec iov[3] = {{const_cast<char*>(a.data()), a.size()},
                  {const_cast<char*>(b.data()), b.size()},
                  {const_cast<char*>(c.data()), c.size()}};
  int first = 0;
  while (first < 3) {
    if (iov[first].iov_len == 0) {
      ++first;
      continue;
    }
    if (!WaitReady(fd_, POLLOUT, timeout_ms_)) {
      return Status::Timeout("output not drained within " + std::to_string(timeout_ms_) + " ms");
    }
    ssize_t w = writev(fd_, iov + first, 3 - first);
    if (w < 0) {
      if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK) continue;
      return Status::Io(ErrnoText("write", errno));
    }
    size_t left = static_cast<size_t>(w);
    while (first < 3 && left >= iov[first].iov_len) {
      left -= iov[first].iov_len;
      iov[first].iov_len = 0;
      ++first;
    }
    if (first < 3) {
      iov[first].iov_base = static_cast<char*>(iov[first].iov_base) + left;
      iov[first].iov_len -= left;
    }
  }
  return Status::Ok();
}

void IgnoreSigpipe() { signal(SIGPIPE, SIG_IGN); }

}  // namespace vd::scp
