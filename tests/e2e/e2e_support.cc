#include "e2e_support.h"

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include <cctype>

#include <gtest/gtest.h>

#include "command/findings_printer.h"

#if defined(__SANITIZE_ADDRESS__)
#define VD_E2E_UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define VD_E2E_UNDER_ASAN 1
#endif
#endif

namespace vd::e2e {
namespace {

constexpr uint64_t kAddressSpaceLimit = 2ull << 30;

std::string TempDir() {
  std::string dir = std::string(VD_BINARY_DIR) + "/e2e_tmp";
  mkdir(dir.c_str(), 0755);
  return dir;
}

}  // namespace

std::string TempPath(const std::string& name) {
  static int counter = 0;
  return TempDir() + "/" + std::to_string(getpid()) + "_" + std::to_string(counter++) + "_" + name;
}

std::string ReadFile(const std::string& path) {
  std::string out;
  FILE* f = fopen(path.c_str(), "rb");
  if (!f) return out;
  char buf[1 << 16];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, f)) > 0) out.append(buf, n);
  fclose(f);
  return out;
}

void WriteFile(const std::string& path, std::string_view data) {
  FILE* f = fopen(path.c_str(), "wb");
  ASSERT_NE(f, nullptr) << path;
  // An empty view may carry a null data(); fwrite's pointer must never be null (UBSan).
  if (!data.empty()) {
    ASSERT_EQ(fwrite(data.data(), 1, data.size(), f), data.size());
  }
  fclose(f);
}

std::string DataPath(const std::string& relative) {
  std::string src = std::string(VD_TEST_DATA) + "/" + relative;
  if (relative.size() < 3 || relative.compare(relative.size() - 3, 3, ".gz") != 0) return src;
  std::string plain_name = relative.substr(0, relative.size() - 3);
  for (char& c : plain_name) c = c == '/' ? '_' : c;
  std::string plain = TempDir() + "/" + plain_name;
  struct stat st_src, st_plain;
  if (stat(plain.c_str(), &st_plain) == 0 && stat(src.c_str(), &st_src) == 0 &&
      st_plain.st_mtime >= st_src.st_mtime) {
    return plain;
  }
  std::string data;
  gzFile f = gzopen(src.c_str(), "rb");
  EXPECT_NE(f, nullptr) << src;
  if (!f) return plain;
  char buf[1 << 16];
  int n;
  while ((n = gzread(f, buf, sizeof buf)) > 0) data.append(buf, static_cast<size_t>(n));
  gzclose(f);
  // Written aside and renamed: tests running in parallel never see a half-written file.
  std::string tmp = TempPath(plain_name);
  WriteFile(tmp, data);
  rename(tmp.c_str(), plain.c_str());
  return plain;
}

RunResult Run(const std::vector<std::string>& argv, std::string_view stdin_text, int timeout_s) {
  RunResult result;
  std::string in_path = TempPath("stdin"), out_path = TempPath("stdout"),
              err_path = TempPath("stderr");
  WriteFile(in_path, stdin_text);
  pid_t pid = fork();
  if (pid < 0) return result;
  if (pid == 0) {
    int in = open(in_path.c_str(), O_RDONLY);
    int out = open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int err = open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (in < 0 || out < 0 || err < 0) _exit(126);
    dup2(in, 0);
    dup2(out, 1);
    dup2(err, 2);
#ifndef VD_E2E_UNDER_ASAN
    struct rlimit lim = {kAddressSpaceLimit, kAddressSpaceLimit};
    setrlimit(RLIMIT_AS, &lim);
#endif
    std::vector<char*> args;
    for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execv(args[0], args.data());
    _exit(127);
  }
  int status = 0;
  struct timespec start;
  clock_gettime(CLOCK_MONOTONIC, &start);
  for (;;) {
    pid_t r = waitpid(pid, &status, WNOHANG);
    if (r == pid) break;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    if (now.tv_sec - start.tv_sec > timeout_s) {
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      result.timed_out = true;
      break;
    }
    usleep(5000);
  }
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  result.out = ReadFile(out_path);
  result.err = ReadFile(err_path);
  unlink(in_path.c_str());
  unlink(out_path.c_str());
  unlink(err_path.c_str());
  return result;
}

RunResult DriveWithPreop(const std::string& input, const std::string& args, int indexers,
                         size_t chunk_rows) {
  std::vector<std::string> argv = {VD_SCP_DRIVE, "--emulate-preop", "--indexers",
                                   std::to_string(indexers)};
  if (chunk_rows > 0) {
    argv.push_back("--chunk-rows");
    argv.push_back(std::to_string(chunk_rows));
  }
  if (!args.empty()) {
    argv.push_back("--args");
    argv.push_back(args);
  }
  argv.insert(argv.end(), {input, "--", VD_VISHINGCORRELATE});
  return Run(argv);
}

RunResult DriveReportOnly(const std::string& input, const std::string& args) {
  std::vector<std::string> argv = {VD_SCP_DRIVE};
  if (!args.empty()) {
    argv.push_back("--args");
    argv.push_back(args);
  }
  argv.insert(argv.end(), {input, "--", VD_VISHINGCORRELATE});
  return Run(argv);
}

RunResult Replay(const std::string& input, const std::vector<std::string>& extra) {
  std::vector<std::string> argv = {VD_VISHINGCORRELATE, "--replay", input};
  argv.insert(argv.end(), extra.begin(), extra.end());
  return Run(argv);
}

std::vector<std::string> SplitArgs(const std::string& args) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < args.size()) {
    size_t j = args.find(' ', i);
    if (j == std::string::npos) j = args.size();
    if (j > i) out.push_back(args.substr(i, j - i));
    i = j + 1;
  }
  return out;
}

std::vector<detect::OutRecord> Records(const std::string& csv) {
  std::string copy = csv;
  std::vector<detect::OutRecord> records;
  Status s = command::ParseFindingsCsv(&copy, &records);
  EXPECT_TRUE(s.ok()) << s.message();
  return records;
}

std::vector<std::string> Values(const detect::OutRecord& r, std::string_view name) {
  for (const detect::OutField& f : r) {
    if (f.name == name) return f.values;
  }
  return {};
}

std::string Field(const detect::OutRecord& r, std::string_view name) {
  std::vector<std::string> v = Values(r, name);
  return v.empty() ? std::string() : v.front();
}

std::vector<detect::OutRecord> WithField(const std::vector<detect::OutRecord>& records,
                                         std::string_view name, std::string_view value) {
  std::vector<detect::OutRecord> out;
  for (const detect::OutRecord& r : records) {
    if (Lower(Field(r, name)) == Lower(value)) out.push_back(r);
  }
  return out;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace vd::e2e
