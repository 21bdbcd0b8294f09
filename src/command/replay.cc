#include "command/replay.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <string_view>

#include "command/analysis.h"
#include "command/findings_printer.h"
#include "command/findings_table.h"
#include "common/fd_io.h"
#include "common/log.h"
#include "common/string_pool.h"
#include "common/text.h"
#include "csv/reader.h"
#include "detect/finding_fields.h"
#include "events/json_doc.h"
#include "events/json_row.h"
#include "events/recognizer.h"

namespace vd::command {
namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";

// One line of Splunk's own JSON export ({"preview":false,"result":{"_time":...,"f":"v" or
// ["v1","v2"]}}) as the header + cells a search hands the command: the result's fields by
// their Splunk names, multivalue fields joined by LF. False when the line is not that shape.
class SplunkResultRow {
 public:
  bool Read(const rapidjson::Value& root) {
    const rapidjson::Value* result = events::JsonMember(&root, "result");
    if (!result || !result->IsObject() || !events::JsonMember(&root, "preview")) return false;
    names_.clear();
    values_.clear();
    for (auto it = result->MemberBegin(); it != result->MemberEnd(); ++it) {
      std::string value;
      if (it->value.IsArray()) {
        for (const rapidjson::Value& v : it->value.GetArray()) {
          if (!value.empty()) value += '\n';
          value += events::JsonText(&v);
        }
      } else {
        value = events::JsonText(&it->value);
      }
      names_.emplace_back(it->name.GetString(), it->name.GetStringLength());
      values_.push_back(std::move(value));
    }
    header_.assign(names_.begin(), names_.end());
    cells_.assign(values_.begin(), values_.end());
    return true;
  }
  events::Header header() const { return header_; }
  events::Cells cells() const { return cells_; }

 private:
  std::vector<std::string> names_, values_;
  std::vector<std::string_view> header_, cells_;
};

Status ReplayJsonLines(std::string_view data, events::Recognizer* recognizer,
                       std::vector<events::IdentityEvent>* events, ReplayOutcome* outcome) {
  events::JsonRow row;
  events::JsonDoc doc;
  SplunkResultRow splunk_row;
  events::IdentityEvent event;
  size_t start = 0;
  while (start < data.size()) {
    size_t end = data.find('\n', start);
    if (end == std::string_view::npos) end = data.size();
    std::string_view line = Trim(data.substr(start, end - start));
    start = end + 1;
    if (line.empty()) continue;
    ++outcome->counts.read;
    events::Header header;
    events::Cells cells;
    if (line.starts_with("{\"preview\"") && doc.Parse(line) && splunk_row.Read(doc.root())) {
      header = splunk_row.header();
      cells = splunk_row.cells();
    } else if (row.Parse(line).ok()) {
      header = row.header();
      cells = row.cells();
    } else {
      ++outcome->malformed_lines;
      continue;
    }
    recognizer->SetHeader(header);
    events::RecognizeResult r = recognizer->Recognize(cells, &event);
    outcome->counts.Count(r);
    if (r.recognized()) events->push_back(event);
  }
  return Status::Ok();
}

Status ReplayCsv(std::string_view text, char* data, events::Recognizer* recognizer,
                 std::vector<events::IdentityEvent>* events, ReplayOutcome* outcome) {
  csv::Reader reader(data + (text.data() - data), text.size());
  std::vector<std::string_view> header, cells;
  if (reader.Next(&header)) {
    recognizer->SetHeader(header);
    events::IdentityEvent event;
    while (reader.Next(&cells)) {
      if (cells.size() == 1 && cells[0].empty()) continue;  // a blank line
      ++outcome->counts.read;
      events::RecognizeResult r = recognizer->Recognize(cells, &event);
      outcome->counts.Count(r);
      if (r.recognized()) events->push_back(event);
    }
  }
  if (!reader.status().ok()) return Status::Parse("malformed CSV: " + reader.status().message());
  return Status::Ok();
}

int Fail(const std::string& message) {
  Log(LogLevel::kError, message);
  return 1;
}

bool WriteStdout(const std::string& text) {
  return fwrite(text.data(), 1, text.size(), stdout) == text.size() && fflush(stdout) == 0;
}

void PrintUsage(FILE* to) {
  fprintf(to,
          "usage:\n"
          "  vishingcorrelate                  the Splunk search command (started by splunkd; "
          "speaks the\n"
          "                                    chunked protocol on stdin/stdout)\n"
          "  vishingcorrelate --replay FILE [--csv] [key=value ...]\n"
          "                                    run the detections over an export: a CSV with a "
          "header row,\n"
          "                                    or JSON lines (one event per line); FILE - reads "
          "stdin.\n"
          "                                    Prints the findings as a table (or the result CSV "
          "with --csv)\n"
          "                                    and an INFO summary on stderr.\n"
          "  vishingcorrelate --table          read a result CSV (as the search returns it) on "
          "stdin and\n"
          "                                    print it as the readable table\n"
          "  vishingcorrelate --help\n"
          "arguments (as in SPL): mode=all|bulk|chain window=1h mfa_window=4h high_confidence=30m\n"
          "  min_targets=2 helpdesk_regex=\"(?i)(helpdesk|servicedesk|itadmin|support|resetbot)\"\n"
          "  binning=sliding|fixed identity=localpart|upn|exact dedup_window=10s pairs=first|all\n"
          "  signin_window=24h\n"
          "exit status: 0 ok, 1 bad file, bad arguments or bad input\n");
}

}  // namespace

std::string ReplayOutcome::Summary() const {
  std::string s = std::string("vishingcorrelate replay (") + (json_lines ? "JSON lines" : "CSV") +
                  "): " + counts.Describe();
  if (malformed_lines > 0) s += ", malformed JSON lines skipped " + std::to_string(malformed_lines);
  return s + "; " + DescribeFindings(findings);
}

Status ReadExportFile(const std::string& path, uint64_t max_bytes, std::string* data) {
  data->clear();
  bool from_stdin = path == "-";
  int fd = from_stdin ? 0 : open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    int err = errno;
    std::string msg = "cannot open " + path + ": " + strerror(err);
    return err == ENOENT ? Status::NotFound(msg) : Status::Io(msg);
  }
  auto close_fd = [&] {
    if (!from_stdin) close(fd);
  };
  struct stat st;
  if (fstat(fd, &st) != 0) {
    close_fd();
    return Status::Io("cannot stat " + path + ": " + strerror(errno));
  }
  if (S_ISDIR(st.st_mode)) {
    close_fd();
    return Status::Io("cannot read " + path + ": it is a directory");
  }
  auto too_big = [&](uint64_t size) {
    return Status::Limit(path + " is " + std::to_string(size) +
                         " bytes; --replay reads the whole file "
                         "and accepts at most " +
                         std::to_string(max_bytes) +
                         " bytes: split the export (or run the search in Splunk)");
  };
  if (S_ISREG(st.st_mode)) {
    if (static_cast<uint64_t>(st.st_size) > max_bytes) {
      close_fd();
      return too_big(static_cast<uint64_t>(st.st_size));
    }
    data->reserve(static_cast<size_t>(st.st_size));
  }
  const int err = ReadAll(fd, max_bytes, data);
  close_fd();
  if (err == EFBIG) return too_big(data->size());
  if (err != 0) return Status::Io("cannot read " + path + ": " + strerror(err));
  return Status::Ok();
}

Status ReplayExport(std::string* data, const Arguments& args, ReplayOutcome* outcome) {
  std::string_view text(*data);
  if (text.starts_with(kBom)) text.remove_prefix(kBom.size());
  const std::string_view content = Trim(text);
  outcome->json_lines = !content.empty() && content.front() == '{';

  outcome->pool = std::make_unique<StringPool>();
  StringPool& pool = *outcome->pool;
  events::Recognizer recognizer(&pool, args.identity);
  std::vector<events::IdentityEvent> events;
  Status s = outcome->json_lines ? ReplayJsonLines(text, &recognizer, &events, outcome)
                                 : ReplayCsv(text, data->data(), &recognizer, &events, outcome);
  if (!s.ok()) return s;
  outcome->findings = RunAnalysis(std::move(events), pool, args);
  return Status::Ok();
}

int ReplayMain(const std::vector<std::string>& argv) {
  std::string path;
  bool as_csv = false;
  bool have_path = false;
  std::vector<std::string> spl_args;
  for (size_t i = 0; i < argv.size(); ++i) {
    const std::string& a = argv[i];
    if (a == "--replay") {
      if (have_path || i + 1 >= argv.size()) {
        return Fail(
            "vishingcorrelate: --replay takes one FILE (an export: CSV or JSON lines; - for "
            "stdin)");
      }
      path = argv[++i];
      have_path = true;
    } else if (a == "--csv") {
      as_csv = true;
    } else if (a.starts_with("--")) {
      return Fail("vishingcorrelate: unknown option " + a + " (see vishingcorrelate --help)");
    } else {
      spl_args.push_back(a);
    }
  }
  if (!have_path)
    return Fail("vishingcorrelate: --replay FILE is required (see vishingcorrelate --help)");

  Arguments args;
  if (Status s = ParseArguments(spl_args, &args); !s.ok()) return Fail(s.message());
  // An export has no search window: report_since=-15m counts back from now.
  ResolveReportSince(std::nullopt,
                     std::chrono::duration_cast<std::chrono::milliseconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count(),
                     &args);
  if (args.phase == Phase::kMap) {
    return Fail(
        "vishingcorrelate: invalid argument phase=map with --replay: expected no phase "
        "(phase=map is splunkd's map invocation; --replay runs the whole analysis)");
  }
  std::string data;
  if (Status s = ReadExportFile(path, kMaxReplayFileBytes, &data); !s.ok()) {
    return Fail("vishingcorrelate: " + s.message());
  }
  ReplayOutcome outcome;
  if (Status s = ReplayExport(&data, args, &outcome); !s.ok()) {
    return Fail("vishingcorrelate: " + path + ": " + s.message());
  }
  data.clear();
  data.shrink_to_fit();

  std::string out;
  if (as_csv) {
    WriteFindingsCsv(outcome.findings, &out);
  } else {
    PrintFindingsTable(detect::ToRecords(outcome.findings), &out);
  }
  Log(LogLevel::kInfo, outcome.Summary());
  if (!WriteStdout(out)) return Fail("vishingcorrelate: cannot write the findings to stdout");
  return 0;
}

int TableMain() {
  std::string csv;
  if (Status s = ReadExportFile("-", kMaxReplayFileBytes, &csv); !s.ok()) {
    return Fail("vishingcorrelate --table: " + s.message());
  }
  std::vector<detect::OutRecord> records;
  if (Status s = ParseFindingsCsv(&csv, &records); !s.ok()) {
    return Fail("vishingcorrelate --table: " + s.message());
  }
  std::string out;
  PrintFindingsTable(records, &out);
  if (!WriteStdout(out)) return Fail("vishingcorrelate --table: cannot write to stdout");
  return 0;
}

int UsageMain(bool requested) {
  PrintUsage(requested ? stdout : stderr);
  return requested ? 0 : 1;
}

}  // namespace vd::command
