#include "common/log.h"

#include <unistd.h>

#include <string>

#include "common/fd_io.h"

namespace vd {

std::string_view LogLevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug:
      return "DEBUG";
    case LogLevel::kInfo:
      return "INFO";
    case LogLevel::kWarn:
      return "WARN";
    case LogLevel::kError:
      return "ERROR";
  }
  return "INFO";
}

void Log(LogLevel level, std::string_view message) {
  std::string line(LogLevelName(level));
  line += ' ';
  for (char c : message) line += (c == '\n' || c == '\r') ? ' ' : c;
  line += '\n';
  // One write(2) per line so lines from concurrent writers never interleave mid-line. A
  // failed write of stderr has nowhere to be reported.
  (void)WriteAll(STDERR_FILENO, line);
}

}  // namespace vd
