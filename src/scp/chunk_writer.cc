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

namespace {

// Passes pieces on and counts their bytes.
class CountingSink : public ByteSink {
 public:
  explicit CountingSink(ByteSink* sink) : sink_(sink) {}
  Status Write(std::string_view a, std::string_view b, std::string_view c) override {
    bytes_ += a.size() + b.size() + c.size();
    return sink_->Write(a, b, c);
  }
  uint64_t bytes() const { return bytes_; }

 private:
  ByteSink* sink_;
  uint64_t bytes_ = 0;
};

}  // namespace

Status ChunkWriter::WriteStreamed(std::string_view metadata, StreamedBody* body) {
  const uint64_t size = body->size();
  char header[64];
  int n = snprintf(header, sizeof header, "chunked 1.0,%zu,%llu\n", metadata.size(),
                   static_cast<unsigned long long>(size));
  Status s = sink_->Write(std::string_view(header, static_cast<size_t>(n)), metadata);
  if (!s.ok()) return s;
  CountingSink counted(sink_);
  s = body->WriteTo(&counted);
  if (!s.ok()) return s;
  if (counted.bytes() != size) {
    return Status::Io("reply body wrote " + std::to_string(counted.bytes()) +
                      " bytes after announcing " + std::to_string(size));
  }
  ++chunks_written_;
  return Status::Ok();
}

}  // namespace vd::scp
