#pragma once

// Helpers for the end-to-end tests: run the built executables (vishingcorrelate, and
// vd_scp_drive playing splunkd) as separate processes with files on stdin/stdout/stderr and a
// timeout, unpack the gzipped datasets, and read result CSVs back into records.
#include <string>
#include <string_view>
#include <vector>

#include "detect/finding_fields.h"

namespace vd::e2e {

struct RunResult {
  int exit_code = -1;  // 128 + signal when killed; -1 when it could not be started
  std::string out;
  std::string err;
  bool timed_out = false;
};

// Runs argv (argv[0] a path) with `stdin_text` on its stdin, under a timeout and an address-space
// limit (plain builds; sanitizer builds reserve too much shadow memory for one).
RunResult Run(const std::vector<std::string>& argv, std::string_view stdin_text = {},
              int timeout_s = 120);

std::string ReadFile(const std::string& path);
void WriteFile(const std::string& path, std::string_view data);
// A fresh file name in the build directory for this test.
std::string TempPath(const std::string& name);
// tests/data/<relative>; for a ".gz" name, unpacked once into the build directory (the path of
// the plain copy is returned).
std::string DataPath(const std::string& relative);

// vd_scp_drive --emulate-preop [--indexers K] [--chunk-rows N] [--args ARGS] INPUT --
// vishingcorrelate
RunResult DriveWithPreop(const std::string& input, const std::string& args = "", int indexers = 1,
                         size_t chunk_rows = 0);
// vd_scp_drive without --emulate-preop: only the reporting invocation, on the raw rows.
RunResult DriveReportOnly(const std::string& input, const std::string& args = "");
// vishingcorrelate --replay INPUT [extra...]
RunResult Replay(const std::string& input, const std::vector<std::string>& extra = {});

// Splits "a=1 b=2" for --replay (no quoting needed by the tests' arguments).
std::vector<std::string> SplitArgs(const std::string& args);

// Result CSV -> records (the command's own ParseFindingsCsv, itself covered by the command
// tests); fails the current test on a parse error.
std::vector<detect::OutRecord> Records(const std::string& csv);
std::string Field(const detect::OutRecord& r, std::string_view name);  // first value or ""
std::vector<std::string> Values(const detect::OutRecord& r, std::string_view name);
std::vector<detect::OutRecord> WithField(const std::vector<detect::OutRecord>& records,
                                         std::string_view name, std::string_view value);
std::string Lower(std::string_view s);

}  // namespace vd::e2e
