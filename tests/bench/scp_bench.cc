// Chunked-protocol framing throughput: ChunkReader over 16 MB execute chunks (the size splunkd
// sends for 50,000 rows) arriving in 64 KB pipe-sized reads, and the full CommandLoop answering
// them with an empty body. Reported as bytes/s; compare with a memcpy of the same bytes.
#include <algorithm>
#include <cstring>
#include <string>

#include <benchmark/benchmark.h>

#include "scp/byte_io.h"
#include "scp/chunk_reader.h"
#include "scp/command_loop.h"
#include "support/string_io.h"

namespace {

std::string Frame(std::string_view meta, std::string_view body) {
  return "chunked 1.0," + std::to_string(meta.size()) + "," + std::to_string(body.size()) + "\n" +
         std::string(meta) + std::string(body);
}

std::string Stream(int chunks) {
  std::string row =
      "\"1700000000.123\",4724,\"CONTOSO\\helpdesk01\",\"user0001@contoso.com\",success\n";
  std::string body = "_time,EventCode,SubjectUserName,TargetUserName,result\n";
  while (body.size() < (16u << 20)) body += row;
  std::string s = Frame(R"({"action":"getinfo","searchinfo":{"args":[]}})", "");
  for (int i = 0; i < chunks; ++i) {
    s += Frame(i + 1 == chunks ? R"({"action":"execute","finished":true})"
                               : R"({"action":"execute","finished":false})",
               body);
  }
  return s;
}

// Serves bytes in pipe-sized pieces without copying the whole stream per iteration.
class ViewSource : public vd::scp::ByteSource {
 public:
  ViewSource(std::string_view data, size_t max_read) : data_(data), max_read_(max_read) {}
  vd::Status Read(char* buf, size_t n, size_t* got) override {
    *got = std::min({n, max_read_, data_.size() - pos_});
    std::memcpy(buf, data_.data() + pos_, *got);
    pos_ += *got;
    return vd::Status::Ok();
  }

 private:
  std::string_view data_;
  size_t max_read_;
  size_t pos_ = 0;
};

void BM_ChunkReader(benchmark::State& state) {
  std::string bytes = Stream(4);
  vd::scp::Chunk chunk;
  for (auto _ : state) {
    ViewSource source(bytes, 64 * 1024);
    vd::scp::ChunkReader reader(&source);
    while (reader.Next(&chunk).ok()) benchmark::DoNotOptimize(chunk.body.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes.size()));
}
BENCHMARK(BM_ChunkReader)->Unit(benchmark::kMillisecond);

class NullCommand : public vd::scp::SearchCommand {
 public:
  vd::Status GetInfo(const vd::scp::GetInfoRequest&, vd::scp::GetInfoReply*) override { return {}; }
  vd::Status Execute(const vd::scp::ExecuteRequest&, vd::scp::ExecuteReply*) override { return {}; }
};

void BM_CommandLoop(benchmark::State& state) {
  std::string bytes = Stream(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    ViewSource source(bytes, 64 * 1024);
    vd::scp::StringSink sink;
    NullCommand command;
    benchmark::DoNotOptimize(vd::scp::CommandLoop().Run(&source, &sink, &command));
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes.size()));
}
// One Run() is one command process: the chunk buffer grows once, then is reused.
BENCHMARK(BM_CommandLoop)->Arg(1)->Arg(2)->Arg(4)->Arg(8)->Unit(benchmark::kMillisecond);

void BM_MemcpyBaseline(benchmark::State& state) {
  std::string bytes = Stream(4);
  std::string dst(bytes.size(), '\0');
  for (auto _ : state) {
    for (size_t off = 0; off < bytes.size(); off += 64 * 1024) {
      size_t n = std::min<size_t>(64 * 1024, bytes.size() - off);
      std::memcpy(dst.data() + off, bytes.data() + off, n);
    }
    benchmark::DoNotOptimize(dst.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes.size()));
}
BENCHMARK(BM_MemcpyBaseline)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
