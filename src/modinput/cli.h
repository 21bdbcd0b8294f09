#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "common/time.h"

namespace vd::modinput {

// Process-level inputs of the executable, injectable for tests.
struct CliEnv {
  int stdin_fd = 0;
  int stdout_fd = 1;
  // Environment lookup (getenv in production).
  std::function<std::optional<std::string>(std::string_view)> getenv;
  // Set by tests only (the shipped executable never does): the wall-clock "now", so a test
  // can replay simulated time (the system clock when empty), and a sleep between the durable
  // temp checkpoint and its rename, so a crash test can kill exactly there.
  std::optional<TimeMs> now;
  DurationMs pause_before_rename = 0;
};

// The process's own: stdin, stdout and getenv(3).
CliEnv ProcessEnv();

// The whole executable: `--scheme`, `--validate-arguments`, or run mode (no argument).
// Returns the process exit code (0 ok, 1 failure), like Splunk's SDK.
int RunCli(int argc, const char* const* argv, const CliEnv& env);

}  // namespace vd::modinput
