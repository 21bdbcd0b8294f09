#include "modinput/cli.h"

#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <string>

#include "common/fd_io.h"
#include "common/log.h"
#include "common/time.h"
#include "modinput/checkpoint.h"
#include "modinput/event_writer.h"
#include "modinput/input_definition.h"
#include "modinput/poller.h"
#include "modinput/scheme.h"
#include "modinput/settings.h"
#include "modinput/splunkd_secret.h"
#include "modinput/token_source.h"
#include "modinput/xml_text.h"
#include "net/clock.h"
#include "net/https_client.h"
#include "net/rate_limiter.h"
#include "net/retry.h"

namespace vd::modinput {
namespace {

Result<std::string> ReadStdin(int fd) {
  std::string out;
  int err = ReadAll(fd, kMaxDefinitionBytes, &out);
  if (err == EFBIG) return Status::Limit("stdin document too large");
  if (err != 0) return Status::Io("reading stdin failed");
  return out;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

TimeMs SystemNowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

int Validate(const CliEnv& env) {
  auto fail = [&](std::string_view message) {
    (void)WriteAll(env.stdout_fd, "<error><message>" + XmlEscape(message) + "</message></error>\n");
    return 1;
  };
  Result<std::string> text = ReadStdin(env.stdin_fd);
  if (!text.ok()) return fail(text.status().message());
  Result<InputDefinition> def = ParseValidationDefinition(text.value());
  if (!def.ok()) return fail("invalid validation document: " + def.status().message());
  Result<Settings> settings = ParseSettings(def.value().stanzas.front());
  if (!settings.ok()) return fail(settings.status().message());
  const Settings& s = settings.value();
  if (s.start_date && *s.start_date > SystemNowMs()) return fail("start_date is in the future");
  if (!s.ca_file.empty() && ::access(s.ca_file.c_str(), R_OK) != 0) {
    return fail("ca_file " + s.ca_file + " does not exist or is not readable");
  }
  return 0;
}

// One stanza, one poll. Returns false on failure (already logged as ERROR).
bool RunStanza(const InputDefinition& def, const Stanza& stanza, const CliEnv& env,
               EventWriter& writer) {
  const std::string prefix = "[" + stanza.name + "] ";
  auto error = [&](std::string_view message) {
    Log(LogLevel::kError, prefix + std::string(message));
    return false;
  };
  Result<Settings> parsed = ParseSettings(stanza);
  if (!parsed.ok()) return error("invalid configuration: " + parsed.status().message());
  const Settings& settings = parsed.value();
  std::string checkpoint_dir(def.Meta("checkpoint_dir"));
  std::string server_uri(def.Meta("server_uri"));
  if (checkpoint_dir.empty()) return error("splunkd sent no checkpoint_dir");
  if (server_uri.empty()) return error("splunkd sent no server_uri");

  net::RealClock mono;
  net::RealSleeper sleeper;
  auto started = mono.NowMs();

  std::string splunk_home = env.getenv("SPLUNK_HOME").value_or("");
  net::HttpsClient splunkd(SplunkdClientOptions(splunk_home));
  Result<std::string> secret = FetchClientSecret(splunkd, server_uri, def.Meta("session_key"),
                                                 settings.app, settings.client_id);
  splunkd.Close();
  if (!secret.ok()) return error(secret.status().message());

  net::ClientOptions options;
  options.ca_file = settings.ca_file;
  options.proxy_url = settings.proxy_url;
  net::HttpsClient authority(options);
  net::HttpsClient graph(options);
  net::RateLimiter graph_limiter(mono, sleeper, kGraphMaxRequests, kGraphRateWindowMs);
  net::RateLimiter token_limiter(mono, sleeper);
  net::RetryPolicy policy;
  auto retry_log = [&](LogLevel level, std::string_view message) {
    Log(level, prefix + std::string(message));
  };
  TokenSource tokens(
      {settings.authority_url, settings.tenant_id, settings.client_id, settings.Scope()},
      std::move(secret).value(), authority, token_limiter, sleeper, mono, policy, retry_log);
  CheckpointStore store(checkpoint_dir, settings.stanza);
  store.set_pause_before_rename(env.pause_before_rename);

  PollContext ctx;
  ctx.graph = &graph;
  ctx.graph_limiter = &graph_limiter;
  ctx.sleeper = &sleeper;
  ctx.retry = policy;
  ctx.tokens = &tokens;
  ctx.writer = &writer;
  ctx.store = &store;
  ctx.now = [&] { return env.now.value_or(SystemNowMs()); };
  PollStats stats;
  Status status = Poll(settings, ctx, &stats);
  int64_t duration = mono.NowMs() - started;
  if (stats.late_caught > 0) {
    Log(LogLevel::kWarn, prefix + "the overlap caught " + std::to_string(stats.late_caught) +
                             " record(s) older than the previous watermark (late arrivals)");
  }
  if (stats.untimed_skipped > 0) {
    Log(LogLevel::kWarn, prefix + "skipped " + std::to_string(stats.untimed_skipped) +
                             " record(s) without a valid " +
                             std::string(SpecFor(settings.log).time_field));
  }
  Log(status.ok() ? LogLevel::kInfo : LogLevel::kWarn,
      prefix + "poll " + (status.ok() ? "done" : "stopped") +
          ": events_written=" + std::to_string(stats.events_written) +
          " pages=" + std::to_string(stats.pages) + " duration_ms=" + std::to_string(duration) +
          " watermark=" + FormatIso8601(stats.watermark) +
          " window=" + FormatIso8601(stats.window_start) + ".." + FormatIso8601(stats.window_end) +
          " duplicates_skipped=" + std::to_string(stats.duplicates_skipped) +
          " filtered_out=" + std::to_string(stats.filtered_out) +
          " token_requests=" + std::to_string(tokens.requests()) +
          " connections=" + std::to_string(graph.connections_opened()));
  if (!status.ok())
    return error(status.message() + "; the checkpoint stays at the last completed page");
  return true;
}

int Run(const CliEnv& env) {
  Result<std::string> text = ReadStdin(env.stdin_fd);
  if (!text.ok()) {
    Log(LogLevel::kError, text.status().message());
    return 1;
  }
  Result<InputDefinition> def = ParseInputDefinition(text.value());
  if (!def.ok()) {
    Log(LogLevel::kError, "invalid input configuration from splunkd: " + def.status().message());
    return 1;
  }
  EventWriter writer(env.stdout_fd);
  bool ok = true;
  for (const Stanza& stanza : def.value().stanzas) {
    ok = RunStanza(def.value(), stanza, env, writer) && ok;
  }
  if (Status s = writer.Close(); !s.ok()) {
    Log(LogLevel::kError, s.message());
    ok = false;
  }
  return ok ? 0 : 1;
}

}  // namespace

CliEnv ProcessEnv() {
  CliEnv env;
  env.getenv = [](std::string_view name) -> std::optional<std::string> {
    const char* v = std::getenv(std::string(name).c_str());
    if (v == nullptr) return std::nullopt;
    return std::string(v);
  };
  return env;
}

int RunCli(int argc, const char* const* argv, const CliEnv& env) {
  // A closed stdout (splunkd gone) must surface as EPIPE from write(2), not kill us before
  // we can stop cleanly.
  ::signal(SIGPIPE, SIG_IGN);
  if (argc <= 1) return Run(env);
  std::string mode = Lower(argv[1]);
  if (mode == "--scheme" && argc == 2) {
    return WriteAll(env.stdout_fd, SchemeXml()) == 0 ? 0 : 1;
  }
  if (mode == "--validate-arguments" && argc == 2) return Validate(env);
  Log(LogLevel::kError,
      "Invalid arguments to modular input: expected --scheme, "
      "--validate-arguments or none");
  return 1;
}

}  // namespace vd::modinput
