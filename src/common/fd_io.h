#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace vd {

// Blocking whole-buffer I/O on a file descriptor: short reads and writes are continued and
// EINTR is retried. Both return 0 or the errno that ended them.

// Writes all of `data` to `fd`. On failure *unwritten (when given) is the part not written.
// A write(2) that writes nothing counts as EIO.
int WriteAll(int fd, std::string_view data, std::string_view* unwritten = nullptr);

// Appends what `fd` holds up to end of file to *out, 64 KiB at a time. EFBIG as soon as *out
// holds more than `max_bytes` (it then holds at most 64 KiB more).
int ReadAll(int fd, uint64_t max_bytes, std::string* out);

}  // namespace vd
