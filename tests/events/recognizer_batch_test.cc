#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "events/normalized_row.h"
#include "events/recognizer.h"

namespace vd::events {
namespace {

// The header: every vc_* column, then _raw (rows without vc_kind whose _raw is JSON take the
// general path, their views in the recognizer's own buffers).
std::vector<std::string> Header() {
  std::vector<std::string> h(kVcColumns.begin(), kVcColumns.end());
  h.push_back("_raw");
  return h;
}

// Rows of every kind the batch must treat as Recognize does: vc_* events (users, apps,
// overrides, tuning flags), bad vc_* values, missing targets and initiators, bad times,
// invalid UTF-8, oversized fields, irrelevant rows, short rows, and _raw-only JSON events.
std::vector<std::vector<std::string>> Rows(size_t n) {
  std::vector<std::vector<std::string>> rows;
  uint64_t x = 88172645463325252ull;
  auto next = [&](uint64_t mod) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return x % mod;
  };
  const char* kinds[] = {"reset", "mfa", "signin", "Reset", "bogus", ""};
  const char* sources[] = {"ad", "o365", "entra", "other", "", "nowhere"};
  for (size_t i = 0; i < n; ++i) {
    std::vector<std::string> r(kVcColumns.size() + 1);
    const uint64_t shape = next(40);
    if (shape == 0) {  // _raw only: the general path
      r.back() = "{\"vc_kind\":\"reset\",\"vc_time\":\"17000" + std::to_string(next(100000)) +
                 "\",\"vc_initiator\":\"raw" + std::to_string(next(30)) +
                 "@x.com\",\"vc_target\":\"user" + std::to_string(next(60)) + "@x.com\"}";
      rows.push_back(r);
      continue;
    }
    if (shape == 1) {  // nothing at all: irrelevant
      rows.push_back(r);
      continue;
    }
    if (shape == 2) {  // short row
      rows.push_back({"1700000000", "reset"});
      continue;
    }
    r[0] = shape == 3 ? "yesterday" : (shape == 4 ? "" : "17000" + std::to_string(next(100000)));
    r[1] = kinds[next(6) == 0 ? next(6) : next(3)];
    r[2] = sources[next(8) == 0 ? next(6) : next(4)];
    r[3] = "op " + std::to_string(next(5));
    const uint64_t who = next(10);
    r[4] = who == 0 ? "" : (who == 1 ? "AppOne" : "admin" + std::to_string(next(40)) + "@X.com");
    r[5] = next(3) == 0 ? "" : "10.0." + std::to_string(next(4)) + "." + std::to_string(next(200));
    r[6] = who <= 2 ? (next(2) == 0 ? "AppOne" : "") : "";
    r[7] = shape == 5 ? "" : " user" + std::to_string(next(300)) + "@x.com ";
    r[8] = next(10) == 0 ? "failure" : (next(20) == 0 ? "maybe" : "success");
    r[9] = next(4) == 0 ? "corr" + std::to_string(next(50)) : "";
    r[10] = next(3) == 0 ? "ev" + std::to_string(next(5000)) : "";
    r[11] = next(4) == 0 ? "phone" : "";
    r[12] = next(5) == 0 ? "192.168.0." + std::to_string(next(20)) : "";
    r[13] = next(15) == 0 ? "key-init" + std::to_string(next(5)) : "";
    r[14] = next(15) == 0 ? "key-target" + std::to_string(next(5)) : "";
    r[15] = next(9) == 0 ? "true" : "";
    r[16] = next(11) == 0 ? "yes" : "";
    if (shape == 6)
      r[7] =
          "bad\xff"
          "utf8";
    if (shape == 7) r[4] = std::string(5000, 'a');
    rows.push_back(r);
  }
  return rows;
}

// Same fields; strings compared by text (ids are first-come numbers in each pool).
void ExpectSameEvent(const IdentityEvent& a, const StringPool& a_pool, const IdentityEvent& b,
                     const StringPool& b_pool, size_t row) {
  SCOPED_TRACE(row);
  EXPECT_EQ(a.time, b.time);
  EXPECT_EQ(a.kind, b.kind);
  EXPECT_EQ(a.source, b.source);
  EXPECT_EQ(a.outcome, b.outcome);
  EXPECT_EQ(a.helpdesk, b.helpdesk);
  EXPECT_EQ(a.allowlisted, b.allowlisted);
  const StrId IdentityEvent::*fields[] = {&IdentityEvent::operation,
                                          &IdentityEvent::initiator,
                                          &IdentityEvent::initiator_ip,
                                          &IdentityEvent::initiator_app,
                                          &IdentityEvent::target,
                                          &IdentityEvent::correlation_id,
                                          &IdentityEvent::event_id,
                                          &IdentityEvent::detail,
                                          &IdentityEvent::signin_ip,
                                          &IdentityEvent::initiator_key,
                                          &IdentityEvent::target_key,
                                          &IdentityEvent::identity_initiator_override,
                                          &IdentityEvent::identity_target_override};
  for (auto f : fields) EXPECT_EQ(a_pool.Get(a.*f), b_pool.Get(b.*f));
}

// RecognizeBatch against Recognize row by row: same verdicts, same events, and the pools
// hold the same strings, for any batch size. (A batch derives its identity keys after all
// of its rows' fields, so ids may be handed out in another order; nothing reads them as an
// order.)
TEST(RecognizerBatchTest, SameAsRowByRow) {
  const std::vector<std::string> header_text = Header();
  const std::vector<std::string_view> header(header_text.begin(), header_text.end());
  const std::vector<std::vector<std::string>> text = Rows(6000);
  std::vector<std::vector<std::string_view>> cells;
  for (const auto& r : text) cells.emplace_back(r.begin(), r.end());

  for (IdentityMode mode : {IdentityMode::kLocalpart, IdentityMode::kUpn, IdentityMode::kExact}) {
    StringPool one_pool;
    Recognizer one(&one_pool, mode);
    one.SetHeader(header);
    std::vector<RecognizeResult> want(cells.size());
    std::vector<IdentityEvent> want_events(cells.size());
    for (size_t i = 0; i < cells.size(); ++i) want[i] = one.Recognize(cells[i], &want_events[i]);

    for (size_t batch : {size_t{1}, size_t{3}, size_t{9}, size_t{256}, cells.size()}) {
      SCOPED_TRACE(batch);
      StringPool pool;
      Recognizer r(&pool, mode);
      r.SetHeader(header);
      std::vector<Cells> rows(cells.begin(), cells.end());
      std::vector<RecognizeResult> got(cells.size());
      std::vector<IdentityEvent> events(cells.size());
      for (size_t at = 0; at < rows.size(); at += batch) {
        const size_t n = std::min(batch, rows.size() - at);
        r.RecognizeBatch(std::span<const Cells>(rows.data() + at, n), got.data() + at,
                         events.data() + at);
      }
      size_t recognized = 0;
      for (size_t i = 0; i < cells.size(); ++i) {
        ASSERT_EQ(got[i].verdict, want[i].verdict) << i;
        ASSERT_EQ(got[i].reason, want[i].reason) << i;
        if (!got[i].recognized()) continue;
        ++recognized;
        ExpectSameEvent(events[i], pool, want_events[i], one_pool, i);
      }
      EXPECT_GT(recognized, cells.size() / 3);
      ASSERT_EQ(pool.size(), one_pool.size());
      for (StrId id = 0; id < pool.size(); ++id) {
        ASSERT_NE(one_pool.Find(pool.Get(id)), StringPool::kNotFound) << pool.Get(id);
      }
    }
  }
}

}  // namespace
}  // namespace vd::events
