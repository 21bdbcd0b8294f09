// Throughput of csv::Reader beside a plain memchr('\n') scan of the same bytes.
//
// Two synthetic bodies of >= 100 MB each, quoted the way splunkd quotes (anything not
// purely alphanumeric is double-quoted, LF rows):
//   dense: the compact identity-event rows (17 short fields, many empty cells);
//   raw:   the same rows plus a `_raw` JSON event (escaped quotes, some multi-line)
//          and the `__mv_` companion columns splunkd appends.
// VD_CSV_BENCH_FILE=<path> benchmarks that file's bytes instead (as "file").
// Both reader passes produce every cell as the product consumes it (a string_view per
// cell, quotes stripped, '""' undone) and sum the cell lengths:
//   reader: Reader::NextRow (cells in a span the reader owns) - the headline;
//   vector: Reader::Next(std::vector<std::string_view>*) (cells copied out per row).
// Counters: reader_MBps, vector_MBps, memchr_MBps, ratio = reader / memchr (target
// >= 0.5) and vector_ratio = vector / memchr, all from thread CPU time (the reported
// iteration time is the NextRow pass).
#include <time.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <benchmark/benchmark.h>

#include "csv/reader.h"
#include "csv/writer.h"
#include "splunk_cell.h"

namespace {

using vd::bench::AppendSplunkCell;

constexpr size_t kTargetBytes = 100u << 20;

const char* const kFirst[] = {"james",   "mary",  "robert", "patricia",  "john",    "jennifer",
                              "michael", "linda", "david",  "elizabeth", "william", "barbara"};
const char* const kLast[] = {"smith",  "johnson", "williams",  "brown",    "jones",     "garcia",
                             "miller", "davis",   "rodriguez", "martinez", "hernandez", "lopez"};
const char* const kActivities[] = {"Reset user password",
                                   "User registered security info",
                                   "Reset password (by admin)",
                                   "User updated security info",
                                   "Update user.",
                                   "Reset user password."};
const char* const kSourcetypes[] = {"azure:aad:audit", "WinEventLog:Security",
                                    "o365:management:activity"};

std::string Synthesize(bool with_raw) {
  static const char* const kColumns[] = {"_time",
                                         "sourcetype",
                                         "EventCode",
                                         "SubjectUserName",
                                         "TargetUserName",
                                         "IpAddress",
                                         "Operation",
                                         "UserId",
                                         "ObjectId",
                                         "ClientIP",
                                         "activityDisplayName",
                                         "category",
                                         "initiatedBy.user.userPrincipalName",
                                         "initiatedBy.user.ipAddress",
                                         "initiatedBy.app.displayName",
                                         "targetResources{}.userPrincipalName",
                                         "result"};
  constexpr size_t kNumColumns = sizeof(kColumns) / sizeof(kColumns[0]);
  std::string out;
  out.reserve(kTargetBytes + (1 << 20));
  std::vector<std::string_view> header(std::begin(kColumns), std::end(kColumns));
  std::vector<std::string> mv_names;
  if (with_raw) {
    header.push_back("_raw");
    for (size_t i = 0; i < header.size(); ++i) mv_names.push_back("__mv_" + std::string(header[i]));
    for (const std::string& n : mv_names) header.push_back(n);
  }
  for (size_t i = 0; i < header.size(); ++i) {
    if (i) out.push_back(',');
    AppendSplunkCell(header[i], &out);
  }
  out.push_back('\n');

  std::mt19937_64 rng(20240601);
  std::string cells[kNumColumns];
  std::string raw;
  char buf[160];
  long long t = 1748822399999;
  while (out.size() < kTargetBytes) {
    t -= static_cast<long long>(rng() % 5000);
    int kind = static_cast<int>(rng() % 3);
    std::string actor = std::string("adm-") + kFirst[rng() % 12] + kLast[rng() % 12] +
                        std::to_string(rng() % 5000) + "@contoso.com";
    std::string target = std::string(kFirst[rng() % 12]) + kLast[rng() % 12] +
                         std::to_string(rng() % 5000) + "@contoso.com";
    std::snprintf(buf, sizeof buf, "%u.%u.%u.%u", unsigned(rng() % 223 + 1), unsigned(rng() % 256),
                  unsigned(rng() % 256), unsigned(rng() % 256));
    std::string ip = buf;
    std::snprintf(buf, sizeof buf, "%lld.%03lld", t / 1000, t % 1000);
    for (auto& c : cells) c.clear();
    cells[0] = buf;
    cells[1] = kSourcetypes[kind];
    const char* activity = kActivities[rng() % 6];
    if (kind == 1) {
      cells[2] = "4724";
      cells[3] = actor.substr(0, actor.find('@'));
      cells[4] = target.substr(0, target.find('@'));
      cells[5] = ip;
    } else if (kind == 2) {
      cells[6] = activity;
      cells[7] = actor;
      cells[8] = target;
      cells[9] = ip;
    } else {
      cells[10] = activity;
      cells[11] = "UserManagement";
      cells[12] = actor;
      cells[13] = ip;
      cells[15] = target;
    }
    cells[16] = rng() % 10 ? "success" : "failure";
    for (size_t i = 0; i < kNumColumns; ++i) {
      if (i) out.push_back(',');
      AppendSplunkCell(cells[i], &out);
    }
    if (with_raw) {
      raw = "{\"id\":\"" + std::to_string(rng()) + "\",\"activityDisplayName\":\"" + activity +
            "\",\"activityDateTime\":\"" + cells[0] + "\",\"initiatedBy\":{\"user\":{" +
            "\"userPrincipalName\":\"" + actor + "\",\"ipAddress\":\"" + ip +
            "\"}},\"targetResources\":[{\"type\":\"User\",\"userPrincipalName\":\"" + target +
            "\",\"modifiedProperties\":[{\"displayName\":\"StrongAuthenticationMethod\"," +
            "\"oldValue\":\"[]\",\"newValue\":\"[{\\\"MethodType\\\":6,\\\"Default\\\":true}]\"}]}]"
            "," +
            "\"result\":\"" + cells[16] + "\",\"correlationId\":\"" + std::to_string(rng()) + "\"}";
      if (rng() % 8 == 0) raw += "\n  trailer line\r\n";  // multi-line _raw
      out.push_back(',');
      AppendSplunkCell(raw, &out);
      for (size_t i = 0; i < mv_names.size(); ++i) out.push_back(',');
    }
    out.push_back('\n');
  }
  return out;
}

std::string LoadFile(const char* path) {
  std::string data;
  if (FILE* f = std::fopen(path, "rb")) {
    char buf[1 << 16];
    size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) data.append(buf, n);
    std::fclose(f);
  }
  return data;
}

const std::string& Body(int which) {
  static const std::string dense = Synthesize(false);
  static const std::string raw = Synthesize(true);
  static const std::string file = [] {
    const char* path = std::getenv("VD_CSV_BENCH_FILE");
    return path ? LoadFile(path) : std::string();
  }();
  return which == 0 ? dense : which == 1 ? raw : file;
}

// Thread CPU time: the build machine is shared, and wall time there measures the neighbours.
double ThreadSeconds() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

size_t MemchrLines(const char* p, size_t n) {
  size_t lines = 0;
  const char* end = p + n;
  while (const void* nl = std::memchr(p, '\n', static_cast<size_t>(end - p))) {
    ++lines;
    p = static_cast<const char*>(nl) + 1;
  }
  return lines;
}

void BM_ReaderVsMemchr(benchmark::State& state) {
  const std::string& body = Body(static_cast<int>(state.range(0)));
  if (body.empty()) {
    state.SkipWithError("VD_CSV_BENCH_FILE not set or unreadable");
    return;
  }
  std::string work;
  std::vector<std::string_view> cells;
  std::span<const std::string_view> row;
  double reader_s = 0, vector_s = 0, memchr_s = 0;
  size_t rows = 0, reader_bytes = 0, vector_bytes = 0;
  for (auto _ : state) {
    work = body;  // the reader unescapes in place: every pass gets pristine bytes
    double t0 = ThreadSeconds();
    benchmark::DoNotOptimize(MemchrLines(work.data(), work.size()));
    double t1 = ThreadSeconds();
    vd::csv::Reader reader(work.data(), work.size());
    while (reader.NextRow(&row)) {
      for (std::string_view cell : row) reader_bytes += cell.size();
    }
    double t2 = ThreadSeconds();
    if (!reader.status().ok()) {
      state.SkipWithError(reader.status().message().c_str());
      return;
    }
    rows = reader.rows_read();
    work = body;
    double t3 = ThreadSeconds();
    vd::csv::Reader vector_reader(work.data(), work.size());
    while (vector_reader.Next(&cells)) {
      for (std::string_view cell : cells) vector_bytes += cell.size();
    }
    double t4 = ThreadSeconds();
    memchr_s += t1 - t0;
    reader_s += t2 - t1;
    vector_s += t4 - t3;
    state.SetIterationTime(t2 - t1);
  }
  if (reader_bytes != vector_bytes) {
    state.SkipWithError("NextRow and Next disagree");
    return;
  }
  benchmark::DoNotOptimize(reader_bytes);
  double mb = static_cast<double>(body.size()) * static_cast<double>(state.iterations()) / 1e6;
  state.SetBytesProcessed(static_cast<int64_t>(body.size()) * state.iterations());
  state.counters["MB"] = static_cast<double>(body.size()) / 1e6;
  state.counters["rows"] = static_cast<double>(rows);
  state.counters["reader_MBps"] = mb / reader_s;
  state.counters["vector_MBps"] = mb / vector_s;
  state.counters["memchr_MBps"] = mb / memchr_s;
  state.counters["ratio"] = memchr_s / reader_s;
  state.counters["vector_ratio"] = memchr_s / vector_s;
}
BENCHMARK(BM_ReaderVsMemchr)
    ->ArgName("body")  // 0 = dense, 1 = raw, 2 = VD_CSV_BENCH_FILE
    ->Arg(0)
    ->Arg(1)
    ->Arg(2)
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond)
    ->MinTime(2.0);

// The streaming write path, for scale: re-emit the dense body's rows.
void BM_WriterWriteRow(benchmark::State& state) {
  std::string work = Body(0);
  std::vector<std::vector<std::string>> rows;
  {
    vd::csv::Reader reader(work.data(), work.size());
    std::vector<std::string_view> cells;
    while (reader.Next(&cells) && rows.size() < 200000)
      rows.emplace_back(cells.begin(), cells.end());
  }
  std::vector<std::vector<std::string_view>> views;
  for (const auto& r : rows) views.emplace_back(r.begin(), r.end());
  std::string out;
  size_t bytes = 0;
  for (auto _ : state) {
    out.clear();
    vd::csv::Writer w(&out);
    for (const auto& v : views) w.WriteRow(v);
    bytes += out.size();
    benchmark::DoNotOptimize(out.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
}
BENCHMARK(BM_WriterWriteRow)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
