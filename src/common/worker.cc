#include "common/worker.h"

#include <algorithm>
#include <system_error>
#include <utility>

namespace vd {

Worker::~Worker() {
  if (!thread_.joinable()) return;
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void Worker::Start(std::function<void()> task) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    task_ = std::move(task);
    busy_ = true;
  }
  if (thread_.joinable()) {
    cv_.notify_all();
    return;
  }
  try {
    thread_ = std::thread([this] { Loop(); });
  } catch (const std::system_error&) {
    // No thread to be had (a process limit): the task runs here, and Wait() returns at once.
    std::function<void()> now = std::move(task_);
    std::exception_ptr error;
    try {
      now();
    } catch (...) {
      error = std::current_exception();
    }
    std::lock_guard<std::mutex> lock(mu_);
    busy_ = false;
    error_ = error;
  }
}

void Worker::Wait() {
  std::unique_lock<std::mutex> lock(mu_);
  cv_.wait(lock, [this] { return !busy_; });
  if (error_) std::rethrow_exception(std::exchange(error_, nullptr));
}

void Worker::Loop() {
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    cv_.wait(lock, [this] { return busy_ || stop_; });
    if (busy_) {
      std::function<void()> task = std::move(task_);
      lock.unlock();
      std::exception_ptr error;
      try {
        task();
      } catch (...) {
        error = std::current_exception();
      }
      lock.lock();
      busy_ = false;
      error_ = error;
      cv_.notify_all();
      continue;
    }
    return;  // stop_
  }
}

int UsableThreads(int wanted) {
  const unsigned cores = std::thread::hardware_concurrency();  // 0: unknown
  const int limit = cores == 0 ? 1 : static_cast<int>(cores);
  return std::max(1, std::min(wanted, limit));
}

}  // namespace vd
