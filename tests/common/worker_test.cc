#include "common/worker.h"

#include <atomic>
#include <chrono>
#include <thread>

#include <gtest/gtest.h>

namespace vd {
namespace {

TEST(WorkerTest, RunsEachTaskOnItsThreadAndWaitSeesItsWork) {
  Worker worker;
  int total = 0;  // written by the worker, read after Wait(): no other synchronization
  std::thread::id ran_on;
  for (int round = 1; round <= 100; ++round) {
    worker.Start([&, round] {
      total += round;
      ran_on = std::this_thread::get_id();
    });
    worker.Wait();
    EXPECT_EQ(total, round * (round + 1) / 2);
  }
  EXPECT_NE(ran_on, std::this_thread::get_id());
}

TEST(WorkerTest, TheCallerWorksMeanwhile) {
  Worker worker;
  std::atomic<bool> go{false};
  std::atomic<bool> done{false};
  worker.Start([&] {
    // Waits for the caller's half (had Start run the task itself, it would give up).
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (!go.load() && std::chrono::steady_clock::now() < until) std::this_thread::yield();
    done = go.load();
  });
  go = true;
  worker.Wait();
  EXPECT_TRUE(done.load());
}

TEST(WorkerTest, DestroyedWithoutTasksOrAfterThem) {
  { Worker idle; }
  {
    Worker used;
    used.Start([] {});
    used.Wait();
  }
  SUCCEED();
}

TEST(WorkerTest, UsableThreadsStaysWithinOneAndTheMachine) {
  EXPECT_EQ(UsableThreads(1), 1);
  EXPECT_EQ(UsableThreads(0), 1);
  EXPECT_EQ(UsableThreads(-3), 1);
  const unsigned cores = std::thread::hardware_concurrency();
  EXPECT_LE(UsableThreads(1000), static_cast<int>(cores == 0 ? 1 : cores));
  EXPECT_GE(UsableThreads(2), 1);
}

}  // namespace
}  // namespace vd
