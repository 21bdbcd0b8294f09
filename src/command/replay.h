#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "command/arguments.h"
#include "command/row_counts.h"
#include "common/status.h"
#include "common/string_pool.h"
#include "detect/findings.h"

namespace vd::command {

// `vishingcorrelate --replay FILE`: the command's analytics over an export file instead of a
// live search, for people holding exports. The file is read whole; larger than this is
// refused with a clear message rather than exhausting memory.
inline constexpr uint64_t kMaxReplayFileBytes = 4ull << 30;  // 4 GiB

struct ReplayOutcome {
  // The strings the findings' texts are views into: held here so the findings can be
  // printed after ReplayExport returns.
  std::unique_ptr<StringPool> pool;
  detect::Findings findings;
  RowCounts counts;
  uint64_t malformed_lines = 0;  // JSON lines that are not a JSON object: skipped
  bool json_lines = false;
  // The INFO summary: rows read, recognized, skipped (with reasons), findings.
  std::string Summary() const;
};

// Reads `path` whole into *data. kNotFound / kIo name the file and the system's reason;
// kLimit when it is larger than max_bytes.
Status ReadExportFile(const std::string& path, uint64_t max_bytes, std::string* data);

// Recognizes every row of an export and runs the analytics (RunAnalysis, the same as the
// reporting invocation). The format is chosen by the first non-blank byte (a UTF-8 BOM is
// skipped): '{' = JSON lines (one object per line in any recognized shape, flattened as
// Splunk's JSON extraction names fields; Splunk's own JSON export lines, {"result":{...}},
// are unwrapped), anything else = CSV with a header row (a Splunk CSV export, or rows as
// splunkd hands them to the command, vc_* rows included). `data` is parsed in place.
// A malformed CSV is kParse naming the row and byte offset; rows that cannot be read are
// counted, never fatal.
Status ReplayExport(std::string* data, const Arguments& args, ReplayOutcome* outcome);

// The command line front ends (main.cc dispatches; they print and return the exit status).
//   vishingcorrelate --replay FILE [--csv] [key=value ...]
//   vishingcorrelate --table      (a result CSV on stdin -> the readable table)
int ReplayMain(const std::vector<std::string>& argv);
int TableMain();
// Usage on stdout and 0 when asked for (--help), else on stderr and 1.
int UsageMain(bool requested);

}  // namespace vd::command
