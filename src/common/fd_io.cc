#include "common/fd_io.h"

#include <errno.h>
#include <unistd.h>

namespace vd {

int WriteAll(int fd, std::string_view data, std::string_view* unwritten) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n <= 0) {
      if (n < 0 && errno == EINTR) continue;
      if (unwritten != nullptr) *unwritten = data;
      return n < 0 ? errno : EIO;
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  return 0;
}

int ReadAll(int fd, uint64_t max_bytes, std::string* out) {
  char buf[65536];
  while (true) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    if (n == 0) return 0;
    out->append(buf, static_cast<size_t>(n));
    if (out->size() > max_bytes) return EFBIG;
  }
}

}  // namespace vd
