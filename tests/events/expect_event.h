#pragma once

#include <string>

#include <gtest/gtest.h>

#include "common/string_pool.h"
#include "common/time.h"
#include "events/identity_event.h"

namespace vd::events::testing {

// An expected event, written from the fixture's own fields.
struct Expected {
  Kind kind;
  Source source;
  Outcome outcome;
  std::string initiator;
  std::string target;
  TimeMs time;
  std::string operation;
  std::string initiator_ip = "";
  std::string initiator_app = "";
  std::string detail = "";
  std::string correlation_id = "";
  std::string event_id = "";
  std::string signin_ip = "";
};

inline void ExpectEvent(const StringPool& pool, const IdentityEvent& e, const Expected& x) {
  EXPECT_EQ(static_cast<int>(e.kind), static_cast<int>(x.kind));
  EXPECT_EQ(static_cast<int>(e.source), static_cast<int>(x.source));
  EXPECT_EQ(static_cast<int>(e.outcome), static_cast<int>(x.outcome));
  EXPECT_EQ(pool.Get(e.initiator), x.initiator);
  EXPECT_EQ(pool.Get(e.target), x.target);
  EXPECT_EQ(e.time, x.time);
  EXPECT_EQ(pool.Get(e.operation), x.operation);
  EXPECT_EQ(pool.Get(e.initiator_ip), x.initiator_ip);
  EXPECT_EQ(pool.Get(e.initiator_app), x.initiator_app);
  EXPECT_EQ(pool.Get(e.detail), x.detail);
  EXPECT_EQ(pool.Get(e.correlation_id), x.correlation_id);
  EXPECT_EQ(pool.Get(e.event_id), x.event_id);
  EXPECT_EQ(pool.Get(e.signin_ip), x.signin_ip);
}

}  // namespace vd::events::testing
