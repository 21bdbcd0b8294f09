// Results must not depend on input order (Splunk sends newest first, indexers interleave)
// nor on the order strings were interned in.

#include <algorithm>
#include <random>

#include <gtest/gtest.h>

#include "detect/event_order.h"
#include "detect/finding_fields.h"
#include "detect/findings.h"
#include "scenario.h"

namespace vd::detect::testing {
namespace {

// An event by its texts, so each permutation can intern into a fresh pool in its own order.
struct Spec {
  TimeMs time;
  Kind kind;
  Source source;
  Outcome outcome;
  bool helpdesk, allowlisted;
  std::string operation, initiator, initiator_ip, target, correlation_id, event_id, detail,
      signin_ip;
};

std::vector<Spec> TieHeavyScenario() {
  std::vector<Spec> s;
  auto reset = [&](TimeMs t, std::string init, std::string target, std::string op, std::string id,
                   std::string corr = "", std::string ip = "") {
    s.push_back({t, Kind::kReset, Source::kEntra, Outcome::kSuccess, false, false, op, init, ip,
                 target, corr, id, "", ""});
  };
  auto mfa = [&](TimeMs t, std::string target, std::string op, std::string id,
                 std::string detail = "") {
    s.push_back({t, Kind::kMfa, Source::kEntra, Outcome::kSuccess, false, false, op, target, "",
                 target, "", id, detail, ""});
  };
  auto signin = [&](TimeMs t, std::string user, std::string ip, std::string id) {
    s.push_back({t, Kind::kSignin, Source::kEntra, Outcome::kSuccess, false, false, "Sign-in", "",
                 "", user, "", id, "", ip});
  };
  const TimeMs t0 = At(10, 0);
  // Two initiators resetting the same targets at the same instants; spellings differ in case
  // (the printed spelling is the earliest event's, ties by operation then event id).
  for (int i = 0; i < 6; ++i) {
    std::string target = (i % 2 ? "User" : "user") + std::to_string(i % 3) + "@contoso.com";
    reset(t0 + (i / 2) * kMinute, "OpsAdmin@contoso.com", target, "Reset user password",
          "r-a-" + std::to_string(i), "", i % 2 ? "198.51.100.1" : "198.51.100.2");
    reset(t0 + (i / 2) * kMinute, "opsadmin@contoso.com", target, "Reset password (by admin)",
          "r-b-" + std::to_string(i));
    reset(t0 + (i / 2) * kMinute, "itsupport@contoso.com", target, "Reset user password",
          "r-c-" + std::to_string(i), "corr-" + std::to_string(i));
  }
  // Portal duplicates sharing correlation ids, identical times, different event ids.
  reset(t0 + 5 * kMinute, "itsupport@contoso.com", "user9@contoso.com", "Reset user password",
        "r-d-1", "corr-9");
  reset(t0 + 5 * kMinute, "itsupport@contoso.com", "user9@contoso.com", "Reset password (by admin)",
        "r-d-2", "corr-9");
  // MFA changes tying on time, differing in operation and event id.
  for (int i = 0; i < 3; ++i) {
    std::string target = "user" + std::to_string(i) + "@contoso.com";
    mfa(t0 + 20 * kMinute, target, "User registered security info", "m-a-" + std::to_string(i),
        "App");
    mfa(t0 + 20 * kMinute, target, "User deleted security info", "m-b-" + std::to_string(i));
    mfa(t0 + 20 * kMinute, target, "User registered security info", "m-c-" + std::to_string(i),
        "Phone");
  }
  mfa(t0 + 6 * kMinute, "user9@contoso.com", "Admin registered security info", "m-d-1");
  // Sign-ins tying on time with different addresses.
  signin(t0 - kHour, "user0@contoso.com", "10.0.0.1", "s-1");
  signin(t0 + 30 * kMinute, "user0@contoso.com", "10.0.0.2", "s-2");
  signin(t0 + 30 * kMinute, "user0@contoso.com", "10.0.0.3", "s-3");
  signin(t0 + 30 * kMinute, "user1@contoso.com", "10.0.0.4", "s-4");
  signin(t0 + 30 * kMinute, "user1@contoso.com", "10.0.0.5", "s-5");
  // Events with no event id that tie on everything but one field.
  reset(t0 + 7 * kMinute, "helpdesk2@contoso.com", "user7@contoso.com", "Reset user password", "",
        "", "192.0.2.1");
  reset(t0 + 7 * kMinute, "helpdesk2@contoso.com", "user7@contoso.com", "Reset user password", "",
        "", "192.0.2.2");
  return s;
}

std::string Serialize(const std::vector<OutRecord>& records) {
  std::string out;
  for (const OutRecord& r : records) {
    for (const OutField& f : r) {
      out += f.name + "=";
      for (const std::string& v : f.values) out += v + ";";
      out += " ";
    }
    out += "\n";
  }
  return out;
}

std::string RunInOrder(const std::vector<Spec>& specs, const std::vector<size_t>& perm,
                       const Options& options) {
  StringPool pool;
  std::vector<IdentityEvent> events;
  for (size_t k : perm) {
    const Spec& s = specs[k];
    IdentityEvent e;
    e.time = s.time;
    e.kind = s.kind;
    e.source = s.source;
    e.outcome = s.outcome;
    e.helpdesk = s.helpdesk;
    e.allowlisted = s.allowlisted;
    // Interned in this permutation's order, keys before spellings half the time.
    if (k % 2) {
      e.target_key = pool.Intern(LocalpartKey(s.target));
      e.initiator_key = pool.Intern(LocalpartKey(s.initiator));
    }
    e.operation = pool.Intern(s.operation);
    e.initiator = pool.Intern(s.initiator);
    e.initiator_ip = pool.Intern(s.initiator_ip);
    e.target = pool.Intern(s.target);
    e.correlation_id = pool.Intern(s.correlation_id);
    e.event_id = pool.Intern(s.event_id);
    e.detail = pool.Intern(s.detail);
    e.signin_ip = pool.Intern(s.signin_ip);
    e.initiator_key = pool.Intern(LocalpartKey(s.initiator));
    e.target_key = pool.Intern(LocalpartKey(s.target));
    events.push_back(e);
  }
  return Serialize(ToRecords(Analyze(std::move(events), pool, options)));
}

void ExpectOrderIndependent(const Options& options) {
  const std::vector<Spec> specs = TieHeavyScenario();
  std::vector<size_t> perm(specs.size());
  for (size_t i = 0; i < perm.size(); ++i) perm[i] = i;
  const std::string want = RunInOrder(specs, perm, options);
  ASSERT_NE(want.find("bulk_reset"), std::string::npos);
  ASSERT_NE(want.find("reset_mfa_chain"), std::string::npos);
  std::reverse(perm.begin(), perm.end());  // newest first, as Splunk sends
  ASSERT_EQ(RunInOrder(specs, perm, options), want);
  std::mt19937 rng(7);
  for (int round = 0; round < 300; ++round) {
    std::shuffle(perm.begin(), perm.end(), rng);
    ASSERT_EQ(RunInOrder(specs, perm, options), want) << "permutation " << round;
  }
}

TEST(OrderTest, EqualTimestampsGiveTheSameOutputInAnyOrderSliding) {
  ExpectOrderIndependent(DefaultOptions());
}

TEST(OrderTest, EqualTimestampsGiveTheSameOutputInAnyOrderFixedPairsAll) {
  Options o = DefaultOptions();
  o.binning = Binning::kFixed;
  o.pairs = Pairs::kAll;
  ExpectOrderIndependent(o);
}

TEST(OrderTest, PrintedSpellingIsTheEarliestEventsWithTiesByOperationThenEventId) {
  const std::vector<Spec> specs = TieHeavyScenario();
  std::vector<size_t> perm(specs.size());
  for (size_t i = 0; i < perm.size(); ++i) perm[i] = perm.size() - 1 - i;
  const std::string out = RunInOrder(specs, perm, DefaultOptions());
  // At 10:00 "OpsAdmin" and "opsadmin" tie on time; "Reset password (by admin)" sorts before
  // "Reset user password", so the lower-case spelling (r-b-*) names the person.
  EXPECT_NE(out.find("InitiatorAccount=opsadmin@contoso.com;"), std::string::npos) << out;
  EXPECT_EQ(out.find("OpsAdmin@contoso.com"), std::string::npos) << out;
}

}  // namespace
}  // namespace vd::detect::testing

namespace vd::detect::testing {
namespace {

// EventOrder takes shortcuts by input shape (monotone input, a radix sort over spans up to
// 2^32 ms, a comparison sort of times beyond): every shape must give EventLess order.
void ExpectEventOrderIsAFullSort(TimeMs span, int order_kind) {
  Scenario sc;
  std::mt19937_64 rng(static_cast<uint64_t>(span) + static_cast<uint64_t>(order_kind));
  for (int i = 0; i < 3000; ++i) {
    // Coarse times make many ties, which only the full comparison can order.
    const TimeMs t = Day() + static_cast<TimeMs>(rng() % 40) * (span / 40);
    const std::string user = "user" + std::to_string(rng() % 7);
    if (rng() % 2) {
      sc.Reset(t, "helpdesk" + std::to_string(rng() % 3), user,
               rng() % 2 ? "Reset user password" : "4724");
    } else {
      sc.Mfa(t, user);
    }
  }
  std::vector<IdentityEvent>& ev = sc.events;
  if (order_kind == 1) {
    std::sort(ev.begin(), ev.end(), [](const auto& a, const auto& b) { return a.time < b.time; });
  } else if (order_kind == 2) {
    std::sort(ev.begin(), ev.end(), [](const auto& a, const auto& b) { return a.time > b.time; });
  }
  const StrOrder order(sc.pool);
  const std::vector<uint32_t> positions = EventOrder(ev, order);
  ASSERT_EQ(positions.size(), ev.size());
  std::vector<bool> seen(ev.size(), false);
  for (uint32_t p : positions) {
    ASSERT_LT(p, ev.size());
    ASSERT_FALSE(seen[p]);
    seen[p] = true;
  }
  for (size_t k = 1; k < positions.size(); ++k) {
    ASSERT_FALSE(EventLess(ev[positions[k]], ev[positions[k - 1]], order)) << "at " << k;
  }
}

TEST(OrderTest, EventOrderIsEventLessOrderForEveryInputShape) {
  for (TimeMs span : {TimeMs{40}, 7 * 24 * kHour, 400 * 24 * kHour}) {  // last: over 2^32 ms
    for (int order_kind : {0, 1, 2}) {  // shuffled, ascending, descending
      SCOPED_TRACE(::testing::Message() << "span " << span << " order " << order_kind);
      ExpectEventOrderIsAFullSort(span, order_kind);
    }
  }
}

}  // namespace
}  // namespace vd::detect::testing
