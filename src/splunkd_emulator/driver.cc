#include "splunkd_emulator/driver.h"

#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <string>
#include <utility>

#include "csv/reader.h"
#include "csv/writer.h"
#include "rapidjson/stringbuffer.h"
#include "rapidjson/writer.h"
#include "scp/chunk_writer.h"

namespace vd::splunkd_emulator {

using scp::Chunk;
using scp::ChunkReader;
using scp::FdSink;
using scp::FdSource;
using scp::MessageLevel;
using scp::ParseReplyMetadata;
using scp::ReaderLimits;
namespace {

std::string PercentEncode(std::string_view s) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

Status CheckBody(std::string_view body) {
  if (body.empty()) return Status::Ok();
  std::string copy(body);
  csv::Reader reader(copy.data(), copy.size());
  std::vector<std::string_view> cells;
  size_t width = 0;
  size_t row = 0;
  while (reader.Next(&cells)) {
    if (row++ == 0) {
      width = cells.size();
    } else if (cells.size() != width) {
      return Status::Protocol("reply body row " + std::to_string(row) + " has " +
                              std::to_string(cells.size()) + " cells; the header has " +
                              std::to_string(width));
    }
  }
  if (!reader.status().ok())
    return Status::Protocol("reply body is not valid CSV: " + reader.status().message());
  return Status::Ok();
}

}  // namespace

bool Reply::HasError() const {
  if (meta.error) return true;
  for (const auto& m : meta.messages) {
    if (m.level == MessageLevel::kError) return true;
  }
  return false;
}

std::string CommandName(const DriverOptions& options) {
  if (!options.command_name.empty() || options.command.empty()) return options.command_name;
  const std::string& path = options.command.front();
  return path.substr(path.rfind('/') + 1);  // npos + 1 == 0: no directory
}

Driver::Driver(DriverOptions options) : options_(std::move(options)) {
  options_.command_name = CommandName(options_);
  timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  sid_ = std::to_string(ts.tv_sec) + "." + std::to_string(getpid() % 1000);
}

Driver::~Driver() = default;

Status Driver::Start() {
  SpawnOptions spawn;
  spawn.argv = options_.command;
  spawn.address_space_limit = options_.address_space_limit;
  Result<std::unique_ptr<ChildProcess>> child = ChildProcess::Spawn(spawn);
  if (!child.ok()) return child.status();
  child_ = std::move(child).value();
  out_ = std::make_unique<FdSource>(child_->stdout_fd(), options_.timeout_ms);
  in_ = std::make_unique<FdSink>(child_->stdin_fd(), options_.timeout_ms);
  ReaderLimits limits;
  limits.strict_header = true;  // what splunkd itself writes; commands must do the same
  limits.max_body_bytes = 4ull << 30;
  reader_ = std::make_unique<ChunkReader>(out_.get(), limits);
  return Status::Ok();
}

std::string Driver::GetInfoMetadata() const {
  std::vector<std::string> args, raw_args;
  TokenizeSplArgs(options_.args, &args, &raw_args);
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  auto str = [&](std::string_view s) {
    w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
  };
  auto kv = [&](const char* k, std::string_view v) {
    w.Key(k);
    str(v);
  };
  std::string search = options_.search + " | " + options_.command_name;
  for (const auto& r : raw_args) search += " " + r;
  w.StartObject();
  kv("action", "getinfo");
  w.Key("preview");
  w.Bool(options_.preview);
  w.Key("streaming_command_will_restart");
  w.Bool(false);
  w.Key("searchinfo");
  w.StartObject();
  w.Key("args");
  w.StartArray();
  for (const auto& a : args) str(a);
  w.EndArray();
  w.Key("raw_args");
  w.StartArray();
  for (const auto& a : raw_args) str(a);
  w.EndArray();
  kv("dispatch_dir", "");  // like a getinfo probe: nothing may be written there
  kv("sid", sid_);
  kv("app", options_.app);
  kv("owner", "admin");
  kv("username", "admin");
  kv("session_key", "driver-session-key-not-valid-for-rest");
  kv("splunkd_uri", "https://127.0.0.1:8089");
  kv("splunk_version", options_.splunk_version);
  kv("search", PercentEncode(search));
  kv("command", options_.command_name);
  w.Key("maxresultrows");
  w.Int64(options_.maxresultrows);
  kv("earliest_time", options_.earliest_time);
  kv("latest_time", options_.latest_time);
  w.EndObject();
  w.EndObject();
  return std::string(buf.GetString(), buf.GetSize());
}

Status Driver::SendRaw(std::string_view bytes) { return in_->Write(bytes); }

Status Driver::ReadReply(Reply* reply) {
  Chunk chunk;
  Status s = reader_->Next(&chunk);
  if (s.code() == Status::Code::kEndOfStream)
    return Status::Protocol("command closed stdout without a reply");
  if (!s.ok()) return Status::Protocol("reply framing: " + s.message());
  reply->metadata = std::move(chunk.metadata);
  reply->body = std::move(chunk.body);
  if (Status p = ParseReplyMetadata(reply->metadata, &reply->meta); !p.ok()) {
    return Status::Protocol("reply metadata: " + p.message());
  }
  return Status::Ok();
}

Status Driver::GetInfo(Reply* reply) {
  std::string meta = GetInfoMetadata();
  if (Status s = scp::ChunkWriter(in_.get()).Write(meta, {}); !s.ok()) return s;
  if (Status s = ReadReply(reply); !s.ok()) return s;
  if (!reply->body.empty()) return Status::Protocol("getinfo reply carries a body");
  return Status::Ok();
}

Status Driver::Execute(std::string_view body, bool finished, Reply* reply) {
  std::string_view meta = finished ? std::string_view(R"({"action":"execute","finished":true})")
                                   : std::string_view(R"({"action":"execute","finished":false})");
  if (Status s = scp::ChunkWriter(in_.get()).Write(meta, body); !s.ok()) {
    // The command may have answered with an error and exited before reading everything.
    Status r = ReadReply(reply);
    if (r.ok() && reply->HasError()) return Status::Ok();
    return s;
  }
  if (Status s = ReadReply(reply); !s.ok()) return s;
  if (reply->HasError()) return Status::Ok();
  if (!reply->meta.finished)
    return Status::Protocol("execute reply without a boolean \"finished\"");
  if (*reply->meta.finished && !finished) {
    return Status::Protocol("execute reply says finished:true to a finished:false request");
  }
  return CheckBody(reply->body);
}

Status Driver::Finish(int* exit_code) {
  in_->Close();
  child_->CloseStdin();
  Chunk extra;
  Status s = reader_->Next(&extra);
  if (s.ok()) return Status::Protocol("command sent an unsolicited message after its last reply");
  if (s.code() == Status::Code::kTimeout) {
    child_->Kill();
    int code = 0;
    (void)child_->Wait(-1, &code);
    *exit_code = code;
    return Status::Timeout("command did not exit after EOF on stdin");
  }
  if (s.code() != Status::Code::kEndOfStream)
    return Status::Protocol("bytes after the last reply: " + s.message());
  return child_->Wait(options_.timeout_ms, exit_code);
}

void TokenizeSplArgs(std::string_view text, std::vector<std::string>* args,
                     std::vector<std::string>* raw_args) {
  args->clear();
  raw_args->clear();
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() &&
           (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r'))
      ++i;
    if (i >= text.size()) break;
    std::string raw, arg;
    bool quoted = false;
    while (i < text.size()) {
      char c = text[i];
      if (!quoted && (c == ' ' || c == '\t' || c == '\n' || c == '\r')) break;
      if (c == '\\' && i + 1 < text.size() && (text[i + 1] == '"' || text[i + 1] == '\\') &&
          quoted) {
        raw += c;
        raw += text[i + 1];
        arg += text[i + 1];
        i += 2;
        continue;
      }
      if (c == '"') {
        quoted = !quoted;
      } else {
        arg += c;
      }
      raw += c;
      ++i;
    }
    args->push_back(std::move(arg));
    raw_args->push_back(std::move(raw));
  }
}

Status SplitCsvRows(std::string_view csv, std::string* header,
                    std::vector<std::string_view>* rows) {
  header->clear();
  rows->clear();
  if (csv.empty()) return Status::Ok();
  std::string copy(csv);  // the reader unescapes in place; row bounds come from the original
  csv::Reader reader(copy.data(), copy.size());
  std::vector<std::string_view> cells;
  size_t start = 0;
  bool first = true;
  while (reader.Next(&cells)) {
    size_t end = reader.offset();
    std::string_view row = csv.substr(start, end - start);
    start = end;
    if (first) {
      *header = std::string(row);
      if (header->empty() || header->back() != '\n') *header += '\n';
      first = false;
    } else {
      rows->push_back(row);
    }
  }
  if (!reader.status().ok()) return Status::Parse("input CSV: " + reader.status().message());
  return Status::Ok();
}

Status ConcatCsvTables(const std::vector<std::string>& tables, std::string* out) {
  out->clear();
  csv::TableWriter table;
  std::vector<std::string_view> cells;
  std::vector<std::string> header, names;
  bool any = false;
  for (const std::string& t : tables) {
    if (t.empty()) continue;
    std::string copy(t);
    csv::Reader reader(copy.data(), copy.size());
    header.clear();
    if (reader.Next(&cells)) {
      for (auto c : cells) header.emplace_back(c);
      any = true;
    }
    while (reader.Next(&cells)) {
      table.BeginRow();
      for (size_t i = 0; i < cells.size() && i < header.size(); ++i) table.Set(header[i], cells[i]);
    }
    if (!reader.status().ok()) return Status::Parse("map output: " + reader.status().message());
    if (table.rows() == 0 && !header.empty()) {
      // Header-only output: keep the field names visible even without rows.
      for (const auto& h : header) {
        if (std::find(names.begin(), names.end(), h) == names.end()) names.push_back(h);
      }
    }
  }
  if (table.rows() > 0) {
    table.Finish(out);
  } else if (any && !names.empty()) {
    csv::Writer w(out);
    std::vector<std::string_view> views(names.begin(), names.end());
    w.WriteRow(std::span<const std::string_view>(views.data(), views.size()));
  }
  return Status::Ok();
}

namespace {

// Sends input_csv in chunks through an already started driver and collects replies.
Status Feed(Driver* driver, const DriverOptions& options, std::string_view input_csv,
            SessionResult* result) {
  std::string header;
  std::vector<std::string_view> rows;
  if (Status s = SplitCsvRows(input_csv, &header, &rows); !s.ok()) return s;
  size_t per = options.chunk_rows == 0 ? 50000 : options.chunk_rows;
  size_t next = 0;
  std::vector<std::string> bodies;
  std::string body;
  do {
    body.clear();
    size_t end = std::min(rows.size(), next + per);
    if (!header.empty()) body = header;
    for (size_t i = next; i < end; ++i) {
      body.append(rows[i]);
      if (body.back() != '\n') body += '\n';
    }
    next = end;
    bool finished = next >= rows.size();
    Reply reply;
    Status s = driver->Execute(body, finished, &reply);
    ++result->chunks_sent;
    if (!s.ok()) return s;
    for (const auto& m : reply.meta.messages) result->messages.push_back(m);
    if (!reply.body.empty()) bodies.push_back(reply.body);
    bool error = reply.HasError();
    result->replies.push_back(std::move(reply));
    if (error) {
      result->command_error = true;
      return Status::Ok();
    }
  } while (next < rows.size());
  return ConcatCsvTables(bodies, &result->output);
}

Status Close(Driver* driver, SessionResult* result) {
  Status s = driver->Finish(&result->exit_code);
  if (!s.ok()) return s;
  if (!result->command_error && result->exit_code != 0) {
    return Status::Protocol("command exited with status " + std::to_string(result->exit_code) +
                            " after a clean run");
  }
  if (result->command_error && result->exit_code == 0) {
    return Status::Protocol("command reported an error but exited 0");
  }
  return Status::Ok();
}

Status StartAndGetInfo(Driver* driver, SessionResult* result) {
  if (Status s = driver->Start(); !s.ok()) return s;
  if (Status s = driver->GetInfo(&result->getinfo); !s.ok()) return s;
  for (const auto& m : result->getinfo.meta.messages) result->messages.push_back(m);
  if (result->getinfo.HasError()) result->command_error = true;
  return Status::Ok();
}

}  // namespace

Status RunSession(const DriverOptions& options, std::string_view input_csv, SessionResult* result) {
  *result = SessionResult();
  Driver driver(options);
  if (Status s = StartAndGetInfo(&driver, result); !s.ok()) return s;
  if (!result->command_error) {
    if (Status s = Feed(&driver, options, input_csv, result); !s.ok()) return s;
  }
  return Close(&driver, result);
}

Status RunWithPreop(const DriverOptions& options, std::string_view input_csv, int indexers,
                    PreopResult* result) {
  *result = PreopResult();
  Driver report(options);
  if (Status s = StartAndGetInfo(&report, &result->report); !s.ok()) return s;
  if (result->report.command_error) return Close(&report, &result->report);

  std::string_view feed = input_csv;
  std::string map_output;
  const auto& preop = result->report.getinfo.meta.streaming_preop;
  if (preop && !preop->empty()) {
    result->streaming_preop = *preop;
    std::vector<std::string> toks, raw;
    TokenizeSplArgs(*preop, &toks, &raw);
    if (toks.empty() || toks[0] != CommandName(options)) {
      return Status::InvalidArgument("streaming_preop \"" + *preop +
                                     "\" runs another command; not emulated");
    }
    DriverOptions map_options = options;
    map_options.args.clear();
    for (size_t i = 1; i < raw.size(); ++i) map_options.args += (i > 1 ? " " : "") + raw[i];
    std::string header;
    std::vector<std::string_view> rows;
    if (Status s = SplitCsvRows(input_csv, &header, &rows); !s.ok()) return s;
    size_t k = static_cast<size_t>(indexers < 1 ? 1 : indexers);
    std::vector<std::string> outputs;
    for (size_t i = 0; i < k; ++i) {
      size_t from = rows.size() * i / k, to = rows.size() * (i + 1) / k;
      std::string slice = header;
      for (size_t r = from; r < to; ++r) {
        slice.append(rows[r]);
        if (slice.back() != '\n') slice += '\n';
      }
      SessionResult map;
      Status s = RunSession(map_options, slice, &map);
      bool failed = map.command_error;
      outputs.push_back(map.output);
      result->maps.push_back(std::move(map));
      if (!s.ok())
        return Status::Protocol("streaming_preop invocation " + std::to_string(i + 1) + ": " +
                                s.message());
      if (failed)
        return Status::Remote("streaming_preop invocation " + std::to_string(i + 1) +
                              " reported an error");
    }
    if (Status s = ConcatCsvTables(outputs, &map_output); !s.ok()) return s;
    feed = map_output;
  }
  if (Status s = Feed(&report, options, feed, &result->report); !s.ok()) return s;
  return Close(&report, &result->report);
}

}  // namespace vd::splunkd_emulator
