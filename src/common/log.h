#pragma once

#include <string_view>

namespace vd {

enum class LogLevel { kDebug, kInfo, kWarn, kError };

// Writes one line "LEVEL message" to stderr (the format splunkd expects from modular inputs
// and copies into search.log for search commands). Newlines inside the message are replaced
// by spaces so one call is always one line. Never writes secrets: callers pass redacted text.
void Log(LogLevel level, std::string_view message);

std::string_view LogLevelName(LogLevel level);

}  // namespace vd
