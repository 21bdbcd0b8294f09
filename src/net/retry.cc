#include "net/retry.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <random>
#include <string>

#include "common/text.h"
#include "common/time.h"

namespace vd::net {

namespace {

bool ParseUint(std::string_view s, int64_t* out) {
  if (s.empty() || s.size() > 12) return false;
  int64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  *out = v;
  return true;
}

int MonthIndex(std::string_view m) {
  static constexpr std::array<std::string_view, 12> kMonths = {
      "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  for (size_t i = 0; i < kMonths.size(); ++i) {
    if (EqualsIgnoreCase(kMonths[i], m)) return static_cast<int>(i) + 1;
  }
  return 0;
}

// "HH:MM:SS"
bool ParseClock(std::string_view s, int64_t* seconds) {
  int64_t h = 0, m = 0, sec = 0;
  if (s.size() != 8 || s[2] != ':' || s[5] != ':') return false;
  if (!ParseUint(s.substr(0, 2), &h) || !ParseUint(s.substr(3, 2), &m) ||
      !ParseUint(s.substr(6, 2), &sec) || h > 23 || m > 59 || sec > 60) {
    return false;
  }
  *seconds = h * 3600 + m * 60 + sec;
  return true;
}

std::vector<std::string_view> SplitWords(std::string_view s) {
  std::vector<std::string_view> words;
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && s[i] == ' ') ++i;
    size_t j = i;
    while (j < s.size() && s[j] != ' ') ++j;
    if (j > i) words.push_back(s.substr(i, j - i));
    i = j;
  }
  return words;
}

// HTTP-date (RFC 9110 §5.6.7) -> epoch ms. Three accepted forms:
//   IMF-fixdate "Sun, 06 Nov 1994 08:49:37 GMT", RFC 850 "Sunday, 06-Nov-94 08:49:37 GMT",
//   asctime "Sun Nov  6 08:49:37 1994".
bool ParseHttpDate(std::string_view text, int64_t* epoch_ms) {
  std::vector<std::string_view> w = SplitWords(Trim(text));
  int64_t day = 0, year = 0, secs = 0;
  int month = 0;
  if (w.size() == 6 && w[0].size() == 4 && w[0].back() == ',' && w[5] == "GMT") {
    if (!ParseUint(w[1], &day) || (month = MonthIndex(w[2])) == 0 || !ParseUint(w[3], &year) ||
        !ParseClock(w[4], &secs)) {
      return false;
    }
  } else if (w.size() == 4 && !w[0].empty() && w[0].back() == ',' && w[3] == "GMT") {
    std::string_view d = w[1];  // 06-Nov-94
    if (d.size() != 9 || d[2] != '-' || d[6] != '-') return false;
    if (!ParseUint(d.substr(0, 2), &day) || (month = MonthIndex(d.substr(3, 3))) == 0 ||
        !ParseUint(d.substr(7, 2), &year) || !ParseClock(w[2], &secs)) {
      return false;
    }
    year += year < 70 ? 2000 : 1900;  // RFC 9110: interpret as the most recent past century
  } else if (w.size() == 5) {
    if ((month = MonthIndex(w[1])) == 0 || !ParseUint(w[2], &day) || !ParseClock(w[3], &secs) ||
        !ParseUint(w[4], &year)) {
      return false;
    }
  } else {
    return false;
  }
  if (day < 1 || day > 31 || year < 1970 || year > 9999) return false;
  const int64_t days =
      DaysFromCivil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  *epoch_ms = (days * 86400 + secs) * 1000;
  return true;
}

int64_t SystemEpochMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

std::optional<int64_t> ParseRetryAfter(std::string_view value, int64_t now_epoch_ms) {
  value = Trim(value);
  int64_t seconds = 0;
  if (ParseUint(value, &seconds)) return seconds * 1000;
  int64_t at_ms = 0;
  if (ParseHttpDate(value, &at_ms)) return std::max<int64_t>(0, at_ms - now_epoch_ms);
  return std::nullopt;
}

bool IsRetryableStatus(int status) { return status == 429 || (status >= 500 && status <= 599); }

bool IsRetryableError(const Status& status) {
  return status.code() == Status::Code::kTimeout || status.code() == Status::Code::kIo ||
         status.code() == Status::Code::kPartial;
}

Result<HttpResponse> SendWithRetry(HttpsClient& client, RateLimiter& limiter,
                                   const HttpRequest& request, const RetryPolicy& policy,
                                   Sleeper& sleeper, const RetryLogger& log) {
  std::mt19937_64 rng(policy.seed != 0 ? policy.seed : std::random_device{}());
  const int max_attempts = std::max(1, policy.max_attempts);
  // Exponential backoff with +/- jitter, so that many inputs failing together do not come back
  // in lock-step (and do not all spend their 5-per-10 s budget at the same instant).
  auto backoff_ms = [&](int retry) -> int64_t {
    double d = static_cast<double>(std::max<int64_t>(0, policy.base_delay_ms)) *
               std::pow(2.0, std::min(retry - 1, 40));
    d = std::min(d, static_cast<double>(std::max<int64_t>(0, policy.max_delay_ms)));
    if (policy.jitter > 0) {
      const double j = std::min(policy.jitter, 1.0);
      std::uniform_real_distribution<double> dist(1.0 - j, 1.0 + j);
      d *= dist(rng);
    }
    return static_cast<int64_t>(d);
  };

  // Describes where the request went without its query (nextLinks carry opaque tokens).
  std::string_view target = request.url;
  if (size_t q = target.find('?'); q != std::string_view::npos) target = target.substr(0, q);

  for (int attempt = 1;; ++attempt) {
    limiter.Acquire();
    Result<HttpResponse> result = client.Send(request);
    std::string reason;
    int64_t wait_ms = 0;
    if (result.ok()) {
      const HttpResponse& resp = result.value();
      if (!IsRetryableStatus(resp.status) || attempt >= max_attempts) return result;
      reason = "HTTP " + std::to_string(resp.status);
      std::optional<int64_t> retry_after;
      if (resp.status == 429 || resp.status == 503) {
        std::string_view ra = resp.Header("Retry-After");
        if (!ra.empty()) {
          int64_t now = SystemEpochMs();
          int64_t date_ms = 0;
          if (std::string_view date = resp.Header("Date");
              !date.empty() && ParseHttpDate(date, &date_ms)) {
            now = date_ms;
          }
          retry_after = ParseRetryAfter(ra, now);
        }
      }
      if (retry_after) {
        wait_ms = std::min(*retry_after, std::max<int64_t>(0, policy.max_retry_after_ms));
        reason += " with Retry-After " + std::string(Trim(resp.Header("Retry-After")));
      } else {
        wait_ms = backoff_ms(attempt);
      }
    } else {
      const Status st = result.status();
      if (!IsRetryableError(st) || attempt >= max_attempts) return result;
      reason = st.message();
      wait_ms = backoff_ms(attempt);
    }
    if (log) {
      log(LogLevel::kWarn, "retrying " + request.method + " " + std::string(target) + " (attempt " +
                               std::to_string(attempt + 1) + " of " + std::to_string(max_attempts) +
                               ") in " + std::to_string(wait_ms) + " ms after " + reason);
    }
    sleeper.SleepMs(wait_ms);
  }
}

}  // namespace vd::net
