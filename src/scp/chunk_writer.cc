#include "scp/chunk_writer.h"

#include <stdio.h>

namespace vd::scp {

Status ChunkWriter::Write(std::string_view metadata, std::string_view body) {
  char header[64];
  int n = snprintf(header, sizeof header, "chunked 1.0,%zu,%zu\n", metadata.size(), body.size());
  Status s = sink_->Write(std::string_view(header, static_cast<size_t>(n)), metadata, body);
  if (s.ok()) ++chunks_written_;
  return s;
}

}  // namespace vd::scp
