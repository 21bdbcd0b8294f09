#include "scp/chunk_writer.h"

#include <stdio.h>

namespace vd::scp {
namespace {

// The header line of a chunk: "chunked 1.0,<metadata bytes>,<body bytes>\n" (README.md).
class ChunkHeader {
 public:
  ChunkHeader(uint64_t metadata_bytes, uint64_t body_bytes)
      : size_(static_cast<size_t>(snprintf(text_, sizeof text_, "chunked 1.0,%llu,%llu\n",
                                           static_cast<unsigned long long>(metadata_bytes),
                                           static_cast<unsigned long long>(body_bytes)))) {}
  std::string_view text() const { return {text_, size_}; }

 private:
  char text_[64];
  size_t size_;
};

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

Status ChunkWriter::Write(std::string_view metadata, std::string_view body) {
  Status s = sink_->Write(ChunkHeader(metadata.size(), body.size()).text(), metadata, body);
  if (s.ok()) ++chunks_written_;
  return s;
}

Status ChunkWriter::WriteStreamed(std::string_view metadata, StreamedBody* body) {
  const uint64_t size = body->size();
  Status s = sink_->Write(ChunkHeader(metadata.size(), size).text(), metadata);
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
