#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "common/status.h"
#include "scp/byte_io.h"
#include "scp/chunk.h"

namespace vd::scp {

struct ReaderLimits {
  // Declared lengths above these are refused before a byte of them is read or allocated.
  // splunkd sends execute chunks of 16 MB and more (50,000 rows); metadata is ~1 KB in practice.
  uint64_t max_metadata_bytes = 64ull << 20;
  uint64_t max_body_bytes = 1ull << 30;
  // Accept only the exact "chunked 1.0,<m>,<b>\n" splunkd writes (the driver checks commands
  // with this); the default is the SDK's tolerant pattern.
  bool strict_header = false;
};

// Reads chunks: "chunked 1.0,<metadata_len>,<body_len>\n" + metadata bytes + body bytes.
//
// Header grammar (tolerant, as the SDK's regex): chunked\s+1.0\s*,\s*(\d+)\s*,\s*(\d+)\s*\n,
// at most kMaxHeaderBytes long; stray CR/LF bytes before a header are skipped. Buffers grow as
// bytes arrive, never from the declared length alone, so a lying header costs at most about
// twice what was actually sent.
class ChunkReader {
 public:
  static constexpr size_t kMaxHeaderBytes = 128;

  explicit ChunkReader(ByteSource* source, ReaderLimits limits = {});

  // Ok: *chunk holds the next message (its buffers are reused between calls).
  // kEndOfStream: clean EOF before the first byte of a header.
  // kPartial: EOF inside a message. kProtocol: not a chunked header. kLimit: declared length
  // above the limit. kIo / kTimeout: from the source.
  Status Next(Chunk* chunk);

  // Bytes consumed so far (for error messages and tests).
  uint64_t offset() const { return offset_; }

 private:
  Status Fill();  // reads more into buf_; *eof_ on end of stream
  Status ReadHeader(uint64_t* meta_len, uint64_t* body_len);
  Status ReadExact(uint64_t n, std::string* out, const char* what);

  ByteSource* source_;
  ReaderLimits limits_;
  std::string buf_;  // read-ahead; [pos_, end_) not yet consumed
  size_t pos_ = 0;
  size_t end_ = 0;
  bool eof_ = false;
  uint64_t offset_ = 0;
};

// Parses one header line without its LF (exposed for tests and the fuzzer).
Status ParseChunkHeader(std::string_view line, bool strict, uint64_t* meta_len, uint64_t* body_len);

}  // namespace vd::scp
