#pragma once

#include <sys/types.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/status.h"

namespace vd::splunkd_emulator {

struct SpawnOptions {
  std::vector<std::string> argv;  // argv[0] is the executable path
  // RLIMIT_AS for the child in bytes (0 = inherit): tests use it to catch runaway allocation.
  uint64_t address_space_limit = 0;
  std::string cwd;  // empty = inherit
};

// A child process with pipes on its stdin and stdout (stderr is inherited). Killed and reaped on
// destruction if still running.
class ChildProcess {
 public:
  static Result<std::unique_ptr<ChildProcess>> Spawn(const SpawnOptions& options);
  ~ChildProcess();

  int stdin_fd() const { return stdin_fd_; }
  int stdout_fd() const { return stdout_fd_; }
  pid_t pid() const { return pid_; }

  void CloseStdin();
  // Waits for exit up to timeout_ms (< 0: forever). *exit_code is the exit status, or 128 +
  // signal number when killed by a signal. On timeout the child is killed and kTimeout returned.
  Status Wait(int timeout_ms, int* exit_code);
  void Kill();

 private:
  ChildProcess() = default;
  pid_t pid_ = -1;
  int stdin_fd_ = -1;
  int stdout_fd_ = -1;
  bool reaped_ = false;
};

}  // namespace vd::splunkd_emulator
