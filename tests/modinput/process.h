#pragma once
// Runs the entra_audit executable as splunkd would: stdin document, stdout/stderr captured in
// files, a chosen environment. Lets a test SIGKILL it at any moment.

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

namespace vd::modinput::testing {

class Process {
 public:
  // Starts `argv` with stdin from `stdin_path` and stdout/stderr into the given files.
  Process(const std::vector<std::string>& argv, const std::vector<std::string>& env,
          const std::string& stdin_path, const std::string& stdout_path,
          const std::string& stderr_path) {
    pid_ = fork();
    if (pid_ == 0) {
      int in = open(stdin_path.c_str(), O_RDONLY);
      int out = open(stdout_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
      int err = open(stderr_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
      if (in < 0 || out < 0 || err < 0) _exit(126);
      dup2(in, 0);
      dup2(out, 1);
      dup2(err, 2);
      std::vector<char*> args, envp;
      std::vector<std::string> a = argv, e = env;
      for (auto& s : a) args.push_back(s.data());
      args.push_back(nullptr);
      for (auto& s : e) envp.push_back(s.data());
      envp.push_back(nullptr);
      execve(args[0], args.data(), envp.data());
      _exit(127);
    }
  }
  ~Process() {
    if (pid_ > 0 && !done_) {
      kill(pid_, SIGKILL);
      Wait(10'000);
    }
  }

  // Exit code, 128+signal when killed, -1 on timeout (the process is then killed).
  int Wait(int timeout_ms) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    while (!done_) {
      int status = 0;
      pid_t r = waitpid(pid_, &status, WNOHANG);
      if (r == pid_) {
        done_ = true;
        code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        break;
      }
      if (std::chrono::steady_clock::now() > deadline) {
        kill(pid_, SIGKILL);
        waitpid(pid_, &status, 0);
        done_ = true;
        code_ = -1;
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    return code_;
  }

  // True once the process has ended (reaps it).
  bool Exited() {
    if (done_) return true;
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      done_ = true;
      code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }
    return done_;
  }

  // SIGKILL now; returns true when the process was still running (a real kill).
  bool Kill() {
    if (done_) return false;
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      done_ = true;
      code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      return false;
    }
    kill(pid_, SIGKILL);
    waitpid(pid_, &status, 0);
    done_ = true;
    code_ = 128 + SIGKILL;
    return true;
  }

 private:
  pid_t pid_ = -1;
  bool done_ = false;
  int code_ = -1;
};

}  // namespace vd::modinput::testing
