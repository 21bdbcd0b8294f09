#pragma once

#include <cstdint>
#include <string_view>

#include "common/status.h"
#include "scp/byte_io.h"
#include "scp/search_command.h"

namespace vd::scp {

// Writes "chunked 1.0,<metadata bytes>,<body bytes>\n" + metadata + body as one gathered write
// straight to the sink: nothing is buffered between calls, so a reply is on the wire (or has
// failed, e.g. EPIPE when splunkd went away) when Write() returns.
class ChunkWriter {
 public:
  explicit ChunkWriter(ByteSink* sink) : sink_(sink) {}
  Status Write(std::string_view metadata, std::string_view body);
  // The same with a body written in pieces after the header. A body that writes another
  // number of bytes than it announced has broken the stream: an error (the caller exits).
  Status WriteStreamed(std::string_view metadata, StreamedBody* body);
  uint64_t chunks_written() const { return chunks_written_; }

 private:
  ByteSink* sink_;
  uint64_t chunks_written_ = 0;
};

}  // namespace vd::scp
