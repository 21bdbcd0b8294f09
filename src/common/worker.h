#pragma once

#include <condition_variable>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>

namespace vd {

// One more thread for a step split in two: Start(task) runs the task there while the caller
// works on the other half, Wait() returns once it is done. One task at a time. The thread
// starts with the first task and lives as long as the Worker: a step is a few milliseconds
// of work, starting a thread tens of microseconds. When no thread can be started, Start()
// runs the task itself.
class Worker {
 public:
  Worker() = default;
  ~Worker();
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  void Start(std::function<void()> task);
  // Returns once the task is done; an exception the task threw (std::bad_alloc: the thread
  // ran out of memory) is rethrown here, in the caller's thread, instead of terminating.
  void Wait();

 private:
  void Loop();

  std::mutex mu_;
  std::condition_variable cv_;
  std::function<void()> task_;
  bool busy_ = false;
  bool stop_ = false;
  std::exception_ptr error_;
  std::thread thread_;
};

// How many threads a step may use: `wanted`, but never more than the machine has (at least 1).
int UsableThreads(int wanted);

}  // namespace vd
