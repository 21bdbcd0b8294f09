#include "modinput/poller.h"

#include <algorithm>
#include <limits>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include <boost/url/parse.hpp>

#include "common/log.h"
#include "modinput/graph_json.h"
#include "modinput/url_text.h"

namespace vd::modinput {
namespace {

bool EqualsFold(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

bool Wanted(const Settings& settings, std::string_view activity) {
  if (settings.log != LogKind::kAudit) return true;
  for (const std::string& a : settings.activities) {
    if (EqualsFold(a, activity)) return true;
  }
  return false;
}

// "https://host:port" with the scheme and host in lower case and the port explicit, or ""
// when `url` is not an absolute URL with a host.
std::string Origin(std::string_view url) {
  auto parsed = boost::urls::parse_uri(url);
  if (!parsed || parsed->encoded_host().empty()) return "";
  std::string origin(parsed->scheme());
  origin += "://";
  origin += parsed->encoded_host();
  for (char& c : origin) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  std::string port(parsed->port());
  if (port.empty()) {
    port = origin.starts_with("https:") ? "443" : origin.starts_with("http:") ? "80" : "";
  }
  return origin + ":" + port;
}

// A nextLink shown in an error: bounded, printable.
std::string Shown(std::string_view url) {
  std::string out;
  for (char c : url.substr(0, 200)) out.push_back(c >= 0x20 && c < 0x7F ? c : '?');
  if (url.size() > 200) out += "...";
  return out;
}

// ISO-8601 for times from year 0 to 9999, else the raw milliseconds.
std::string DescribeTime(TimeMs t) {
  constexpr TimeMs kYear0 = -62167219200000LL, kYear10000 = 253402300800000LL;
  if (t >= kYear0 && t < kYear10000) return FormatIso8601(t);
  return std::to_string(t) + " ms since 1970";
}

// a - b without wrapping below INT64_MIN (b >= 0).
TimeMs SaturatingSub(TimeMs a, DurationMs b) {
  return a < std::numeric_limits<TimeMs>::min() + b ? std::numeric_limits<TimeMs>::min() : a - b;
}

}  // namespace

std::string FirstPageUrl(const Settings& settings, TimeMs start, TimeMs end) {
  const LogSpec& spec = SpecFor(settings.log);
  std::string field(spec.time_field);
  // DateTimeOffset literals are unquoted; ge/le are inclusive at both ends.
  std::string filter =
      field + " ge " + FormatIso8601(start) + " and " + field + " le " + FormatIso8601(end);
  return settings.graph_url + std::string(spec.path) + "?$filter=" + PercentEncode(filter) +
         "&$orderby=" + PercentEncode(field + " asc");
}

Status Poll(const Settings& settings, PollContext& ctx, PollStats* stats) {
  *stats = PollStats();
  const LogSpec& spec = SpecFor(settings.log);
  const std::string prefix = "[" + settings.stanza + "] ";
  const DurationMs lag_ms = static_cast<DurationMs>(settings.lag_minutes) * 60'000;

  Result<std::optional<Checkpoint>> loaded = ctx.store->Load();
  if (!loaded.ok()) {
    return Status::Io("cannot read checkpoint (" + loaded.status().message() +
                      "); fix or delete it to start over from start_date");
  }
  const TimeMs now = ctx.now();
  const TimeMs end = now - kSettleMs;
  const TimeMs retention_floor = now - kRetentionMs;
  TimeMs start;
  TimeMs watermark;
  std::optional<TimeMs> previous_watermark;
  std::unordered_map<std::string, TimeMs> seen;
  bool from_checkpoint = loaded.value().has_value();
  if (from_checkpoint) {
    const Checkpoint& cp = *loaded.value();
    const TimeMs latest = now > std::numeric_limits<TimeMs>::max() - kMaxClockSkewMs
                              ? std::numeric_limits<TimeMs>::max()
                              : now + kMaxClockSkewMs;
    if (cp.watermark > latest || cp.watermark < 0) {
      Log(LogLevel::kWarn,
          prefix + "checkpoint watermark " + DescribeTime(cp.watermark) +
              (cp.watermark < 0 ? " is before 1970"
                                : " is after now (" + FormatIso8601(now) + ")") +
              "; ignoring it and starting as a first poll does (start_date, else 7 days back)");
      from_checkpoint = false;
    }
  }
  if (from_checkpoint) {
    const Checkpoint& cp = *loaded.value();
    previous_watermark = cp.watermark;
    watermark = cp.watermark;
    start = SaturatingSub(cp.watermark, lag_ms);
    for (const SeenId& s : cp.ids) seen.emplace(s.id, s.time);
  } else {
    start = settings.start_date.value_or(now - kDefaultStartBackMs);
    watermark = start;
  }
  if (start < retention_floor) {
    Log(LogLevel::kWarn,
        prefix + "window start " + FormatIso8601(start) +
            " is beyond Entra's 30-day retention; starting at " + FormatIso8601(retention_floor) +
            (previous_watermark ? " (records between the checkpoint and then are gone)" : ""));
    start = retention_floor;
    watermark = std::max(watermark, retention_floor);
  }
  stats->window_start = start;
  stats->window_end = end;
  stats->watermark = watermark;
  if (start > end) {
    stats->window_complete = true;
    return Status::Ok();
  }

  Result<std::string> token = ctx.tokens->Get();
  if (!token.ok()) return token.status();
  bool refreshed = false;

  const std::string origin = Origin(settings.graph_url);
  std::string url = FirstPageUrl(settings, start, end);
  std::unordered_set<std::string> followed = {url};
  while (!url.empty()) {
    net::HttpRequest request;
    request.url = url;
    request.headers.emplace_back("Authorization", "Bearer " + token.value());
    request.headers.emplace_back("Accept", "application/json");
    Result<net::HttpResponse> response =
        net::SendWithRetry(*ctx.graph, *ctx.graph_limiter, request, ctx.retry, *ctx.sleeper,
                           [&](LogLevel level, std::string_view message) {
                             Log(level, prefix + std::string(message));
                           });
    if (!response.ok()) {
      return Status::Remote("Graph request failed: " + response.status().message());
    }
    const net::HttpResponse& r = response.value();
    if (r.status == 401 && !refreshed) {
      // An expired or revoked token: one new token, then the same page again.
      refreshed = true;
      Log(LogLevel::kWarn, prefix + "Graph answered 401 (" + DescribeGraphError(r.status, r.body) +
                               "); requesting a new token once");
      token = ctx.tokens->Refresh();
      if (!token.ok()) return token.status();
      continue;
    }
    if (r.status != 200) {
      return Status::Remote("Graph " + std::string(spec.path) +
                            " refused: " + DescribeGraphError(r.status, r.body));
    }
    Result<GraphPage> page = ParseGraphPage(r.body, spec.time_field);
    if (!page.ok()) return page.status();
    // Where the next page is, checked before this page counts: the token must not leave
    // graph_url's origin, and a server that pages in a circle or without end must not keep
    // the poll running.
    const std::string& next = page.value().next_link;
    if (!next.empty()) {
      if (Origin(next).empty() || Origin(next) != origin) {
        return Status::Protocol("Graph sent an @odata.nextLink outside " + origin + " (" +
                                Shown(next) +
                                "); refusing to follow it or to send the token there");
      }
      if (!followed.insert(next).second) {
        return Status::Protocol("Graph sent an @odata.nextLink already followed in this poll (" +
                                Shown(next) + "); stopping instead of paging in a circle");
      }
    }

    TimeMs page_max = watermark;
    for (const GraphRecord& rec : page.value().records) {
      if (!rec.has_time) {
        ++stats->untimed_skipped;
        continue;
      }
      if (rec.time > end) continue;  // outside the window asked for: the next poll takes it
      page_max = std::max(page_max, rec.time);
      if (!rec.id.empty() && seen.count(rec.id) != 0) {
        ++stats->duplicates_skipped;
        continue;
      }
      if (!Wanted(settings, rec.activity)) {
        ++stats->filtered_out;
        continue;
      }
      ctx.writer->Add(settings.stanza, rec.time, spec.sourcetype, rec.json);
      ++stats->events_written;
      if (previous_watermark && rec.time < *previous_watermark) ++stats->late_caught;
      if (!rec.id.empty()) seen.emplace(rec.id, rec.time);
    }
    // Events first, checkpoint second: a kill in between re-sends this page, never loses it.
    if (Status s = ctx.writer->Flush(); !s.ok()) return s;
    ++stats->pages;

    watermark = std::max(watermark, page_max);
    if (next.empty()) watermark = std::max(watermark, end);
    Checkpoint cp;
    cp.watermark = watermark;
    const TimeMs keep_from = watermark - lag_ms;
    for (auto it = seen.begin(); it != seen.end();) {
      if (it->second < keep_from) {
        it = seen.erase(it);
      } else {
        cp.ids.push_back({it->first, it->second});
        ++it;
      }
    }
    std::sort(cp.ids.begin(), cp.ids.end(), [](const SeenId& a, const SeenId& b) {
      return a.time != b.time ? a.time < b.time : a.id < b.id;
    });
    if (Status s = ctx.store->Save(cp); !s.ok()) return s;
    stats->watermark = watermark;
    if (next.empty()) stats->window_complete = true;
    if (!next.empty() && stats->pages >= ctx.max_pages) {
      return Status::Limit("stopped after " + std::to_string(stats->pages) +
                           " pages, the most one poll follows; the next poll continues from "
                           "the checkpoint");
    }
    url = next;
  }
  return Status::Ok();
}

}  // namespace vd::modinput
