#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace vd::modinput {

// Process-level inputs of the executable, injectable for tests.
struct CliEnv {
  int stdin_fd = 0;
  int stdout_fd = 1;
  // Environment lookup (getenv in production).
  std::function<std::optional<std::string>(std::string_view)> getenv;
};

// Test-only hooks, read from the environment (never set by splunkd):
//   ENTRA_AUDIT_TEST_NOW                  wall-clock "now" (epoch seconds or ISO-8601), so a
//                                         crash test can replay simulated time;
//   ENTRA_AUDIT_TEST_PAUSE_BEFORE_RENAME_MS  sleep between the durable temp checkpoint and its
//                                         rename, so a crash test can kill exactly there.
inline constexpr std::string_view kEnvTestNow = "ENTRA_AUDIT_TEST_NOW";
inline constexpr std::string_view kEnvTestPauseBeforeRename =
    "ENTRA_AUDIT_TEST_PAUSE_BEFORE_RENAME_MS";

// The whole executable: `--scheme`, `--validate-arguments`, or run mode (no argument).
// Returns the process exit code (0 ok, 1 failure), like Splunk's SDK.
int RunCli(int argc, const char* const* argv, const CliEnv& env);

}  // namespace vd::modinput
