#include "splunkd_emulator/child_process.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

namespace vd::splunkd_emulator {
namespace {

int64_t NowMs() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
}

}  // namespace

Result<std::unique_ptr<ChildProcess>> ChildProcess::Spawn(const SpawnOptions& options) {
  if (options.argv.empty()) return Status::InvalidArgument("spawn: empty argv");
  int in_pipe[2], out_pipe[2], err_pipe[2];
  if (pipe2(in_pipe, O_CLOEXEC) != 0) return Status::Io(std::string("pipe: ") + strerror(errno));
  if (pipe2(out_pipe, O_CLOEXEC) != 0) {
    close(in_pipe[0]);
    close(in_pipe[1]);
    return Status::Io(std::string("pipe: ") + strerror(errno));
  }
  // Reports exec failures from the child (closed by a successful exec thanks to O_CLOEXEC).
  if (pipe2(err_pipe, O_CLOEXEC) != 0) {
    for (int fd : {in_pipe[0], in_pipe[1], out_pipe[0], out_pipe[1]}) close(fd);
    return Status::Io(std::string("pipe: ") + strerror(errno));
  }
  std::vector<char*> argv;
  for (const auto& a : options.argv) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);

  pid_t pid = fork();
  if (pid < 0) {
    for (int fd : {in_pipe[0], in_pipe[1], out_pipe[0], out_pipe[1], err_pipe[0], err_pipe[1]})
      close(fd);
    return Status::Io(std::string("fork: ") + strerror(errno));
  }
  if (pid == 0) {
    // Child: only async-signal-safe calls from here on.
    dup2(in_pipe[0], STDIN_FILENO);
    dup2(out_pipe[1], STDOUT_FILENO);
    signal(SIGPIPE, SIG_DFL);
    if (options.address_space_limit > 0) {
      rlimit lim{options.address_space_limit, options.address_space_limit};
      setrlimit(RLIMIT_AS, &lim);
    }
    if (!options.cwd.empty() && chdir(options.cwd.c_str()) != 0) {
      int e = errno;
      (void)!write(err_pipe[1], &e, sizeof e);
      _exit(127);
    }
    execv(argv[0], argv.data());
    int e = errno;
    (void)!write(err_pipe[1], &e, sizeof e);
    _exit(127);
  }
  close(in_pipe[0]);
  close(out_pipe[1]);
  close(err_pipe[1]);
  int child_errno = 0;
  ssize_t n;
  do {
    n = read(err_pipe[0], &child_errno, sizeof child_errno);
  } while (n < 0 && errno == EINTR);
  close(err_pipe[0]);
  std::unique_ptr<ChildProcess> child(new ChildProcess());
  child->pid_ = pid;
  child->stdin_fd_ = in_pipe[1];
  child->stdout_fd_ = out_pipe[0];
  if (n == sizeof child_errno) {
    int code = 0;
    (void)child->Wait(-1, &code);
    return Status::Io("cannot run " + options.argv[0] + ": " + strerror(child_errno));
  }
  return child;
}

ChildProcess::~ChildProcess() {
  if (!reaped_) {
    Kill();
    int code = 0;
    (void)Wait(-1, &code);
  }
  CloseStdin();
  if (stdout_fd_ >= 0) close(stdout_fd_);
}

void ChildProcess::CloseStdin() {
  if (stdin_fd_ >= 0) close(stdin_fd_);
  stdin_fd_ = -1;
}

void ChildProcess::Kill() {
  if (!reaped_ && pid_ > 0) kill(pid_, SIGKILL);
}

Status ChildProcess::Wait(int timeout_ms, int* exit_code) {
  int64_t deadline = NowMs() + timeout_ms;
  for (;;) {
    int status = 0;
    pid_t r = waitpid(pid_, &status, timeout_ms < 0 ? 0 : WNOHANG);
    if (r == pid_) {
      reaped_ = true;
      *exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      return Status::Ok();
    }
    if (r < 0 && errno != EINTR) return Status::Io(std::string("waitpid: ") + strerror(errno));
    if (timeout_ms >= 0 && NowMs() >= deadline) {
      Kill();
      waitpid(pid_, &status, 0);
      reaped_ = true;
      *exit_code = 128 + SIGKILL;
      return Status::Timeout("command did not exit within " + std::to_string(timeout_ms) + " ms");
    }
    if (timeout_ms >= 0) usleep(2000);
  }
}

}  // namespace vd::splunkd_emulator
