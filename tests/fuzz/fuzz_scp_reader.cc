// Fuzz target for the chunked protocol layer: arbitrary bytes as splunkd's side of the pipe.
// Exercises the tolerant header parser, exact-length reads with short reads (the first byte
// picks the read size), request and reply metadata parsing (JSON depth limit, lone surrogates),
// and the command loop's dispatch with a command that echoes bodies. Checks: every Next() ends
// in a known Status, buffers never exceed what was received, the loop answers at most one reply
// per request and its output is itself valid framing.
//
// Built two ways: with -fsanitize=fuzzer (libFuzzer's main), and with replay_main.cc for
// the CTest replay of the seed corpus under a normal compiler.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "scp/byte_io.h"
#include "scp/chunk_reader.h"
#include "scp/command_loop.h"
#include "scp/metadata.h"
#include "support/string_io.h"

namespace {

void Check(bool ok) {
  if (!ok) std::abort();
}

class EchoCommand : public vd::scp::SearchCommand {
 public:
  vd::Status GetInfo(const vd::scp::GetInfoRequest& request,
                     vd::scp::GetInfoReply* reply) override {
    reply->messages.push_back({vd::scp::MessageLevel::kInfo, request.searchinfo.command});
    return vd::Status::Ok();
  }
  vd::Status Execute(const vd::scp::ExecuteRequest& request,
                     vd::scp::ExecuteReply* reply) override {
    reply->body = *request.body;
    return vd::Status::Ok();
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  size_t max_read = 1 + data[0] % 64;
  std::string input(reinterpret_cast<const char*>(data) + 1, size - 1);

  vd::scp::ReaderLimits limits;
  limits.max_metadata_bytes = 1 << 20;
  limits.max_body_bytes = 1 << 20;

  // 1. Framing + metadata, chunk by chunk.
  size_t requests = 0;
  {
    vd::scp::StringSource source(input, max_read);
    vd::scp::ChunkReader reader(&source, limits);
    vd::scp::Chunk chunk;
    for (;;) {
      vd::Status s = reader.Next(&chunk);
      if (!s.ok()) {
        using C = vd::Status::Code;
        Check(s.code() == C::kEndOfStream || s.code() == C::kPartial || s.code() == C::kProtocol ||
              s.code() == C::kLimit);
        Check(chunk.body.capacity() <= 2 * input.size() + (1 << 17));
        break;
      }
      ++requests;
      Check(reader.offset() <= input.size());
      vd::scp::RequestMetadata request;
      (void)vd::scp::ParseRequestMetadata(chunk.metadata, &request);
      vd::scp::ParsedReply reply;
      (void)vd::scp::ParseReplyMetadata(chunk.metadata, &reply);
    }
  }

  // 2. The command loop over the same bytes: its output must be valid, strict framing with at
  // most one reply per request (plus one error reply).
  vd::scp::StringSource source(input, max_read);
  vd::scp::StringSink sink;
  EchoCommand command;
  vd::scp::CommandLoop loop(limits);
  int code = loop.Run(&source, &sink, &command);
  Check(code == 0 || code == 1);

  vd::scp::ReaderLimits strict = limits;
  strict.strict_header = true;
  strict.max_body_bytes = 4 << 20;
  vd::scp::StringSource replies(sink.data());
  vd::scp::ChunkReader reply_reader(&replies, strict);
  vd::scp::Chunk chunk;
  size_t n = 0;
  vd::Status s;
  while ((s = reply_reader.Next(&chunk)).ok()) {
    ++n;
    vd::scp::ParsedReply reply;
    Check(vd::scp::ParseReplyMetadata(chunk.metadata, &reply).ok());
  }
  Check(s.code() == vd::Status::Code::kEndOfStream);
  Check(n <= requests + 1);
  return 0;
}
