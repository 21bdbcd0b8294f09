#pragma once

#include "scp/byte_io.h"
#include "scp/chunk_reader.h"
#include "scp/search_command.h"

namespace vd::scp {

// The command side of the protocol: reads requests, dispatches getinfo / execute to the command,
// writes exactly one reply per request.
//
//   * getinfo must come first (execute before it is a protocol error) and only once;
//   * execute replies echo "finished"; empty and header-only bodies are passed on and answered;
//   * EOF between messages ends the run with exit code 0 (also right after getinfo: splunkd
//     probes commands that way);
//   * any fault (framing, lengths, metadata, unknown action, a command error) is answered with
//     {"inspector":{"messages":[["ERROR",text]]},"error":text,"finished":true} when a reply is
//     still possible, then the run ends with exit code 1. The text also goes to stderr.
class CommandLoop {
 public:
  explicit CommandLoop(ReaderLimits limits = {}) : limits_(limits) {}
  int Run(ByteSource* in, ByteSink* out, SearchCommand* command);

 private:
  ReaderLimits limits_;
};

// main() for a protocol command: binary-safe stdin/stdout, SIGPIPE ignored, then Run().
int RunOnStdio(SearchCommand* command, ReaderLimits limits = {});

}  // namespace vd::scp
