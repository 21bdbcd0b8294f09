#include "scp/chunk_reader.h"

#include <string.h>

#include <algorithm>
#include <string>

namespace vd::scp {
namespace {

constexpr size_t kReadAhead = 64 * 1024;
constexpr size_t kMinGrowth = 64 * 1024;
constexpr size_t kMaxReadStep = 64 * 1024;  // a full pipe buffer
constexpr std::string_view kMagic = "chunked";

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

std::string Printable(std::string_view s) {
  std::string out;
  for (unsigned char c : s.substr(0, 64)) {
    if (c >= 0x20 && c < 0x7f) {
      out += static_cast<char>(c);
    } else {
      static const char kHex[] = "0123456789abcdef";
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  if (s.size() > 64) out += "...";
  return out;
}

// Parses \d+ at *p; refuses more than 19 digits (beyond any sane length and beyond uint64).
bool ParseLength(std::string_view s, size_t* p, uint64_t* out, bool* too_long) {
  size_t start = *p;
  uint64_t v = 0;
  while (*p < s.size() && s[*p] >= '0' && s[*p] <= '9') {
    if (*p - start >= 19) {
      *too_long = true;
      return false;
    }
    v = v * 10 + static_cast<uint64_t>(s[*p] - '0');
    ++*p;
  }
  *out = v;
  return *p > start;
}

}  // namespace

Status ParseChunkHeader(std::string_view line, bool strict, uint64_t* meta_len,
                        uint64_t* body_len) {
  auto bad = [&](const char* why) {
    return Status::Protocol(std::string("invalid chunk header (") + why + "): \"" +
                            Printable(line) +
                            "\"; expected \"chunked 1.0,<metadata bytes>,<body bytes>\"");
  };
  size_t p = 0;
  auto skip_spaces = [&] {
    while (!strict && p < line.size() && IsSpace(line[p])) ++p;
  };
  if (line.substr(0, kMagic.size()) != kMagic) return bad("no 'chunked' prefix");
  p = kMagic.size();
  if (strict) {
    if (p >= line.size() || line[p] != ' ') return bad("expected one space after 'chunked'");
    ++p;
  } else {
    if (p >= line.size() || !IsSpace(line[p])) return bad("expected whitespace after 'chunked'");
    skip_spaces();
  }
  if (line.substr(p, 3) != "1.0") return bad("unsupported version, expected 1.0");
  p += 3;
  bool too_long = false;
  for (uint64_t* target : {meta_len, body_len}) {
    skip_spaces();
    if (p >= line.size() || line[p] != ',') return bad("expected ','");
    ++p;
    skip_spaces();
    if (!ParseLength(line, &p, target, &too_long)) {
      if (too_long)
        return Status::Limit("chunk header declares an absurd length: \"" + Printable(line) + "\"");
      return bad("length is not a non-negative decimal number");
    }
  }
  skip_spaces();
  if (p != line.size()) return bad("unexpected bytes after the body length");
  return Status::Ok();
}

ChunkReader::ChunkReader(ByteSource* source, ReaderLimits limits)
    : source_(source), limits_(limits) {}

Status ChunkReader::Fill() {
  if (pos_ == end_) pos_ = end_ = 0;
  if (buf_.size() < kReadAhead) buf_.resize(kReadAhead);
  if (end_ == buf_.size()) {  // compact: keep the unconsumed tail at the front
    memmove(buf_.data(), buf_.data() + pos_, end_ - pos_);
    end_ -= pos_;
    pos_ = 0;
  }
  size_t got = 0;
  Status s = source_->Read(buf_.data() + end_, buf_.size() - end_, &got);
  if (!s.ok()) return s;
  if (got == 0) eof_ = true;
  end_ += got;
  return Status::Ok();
}

Status ChunkReader::ReadHeader(uint64_t* meta_len, uint64_t* body_len) {
  // Skip stray line ends between chunks (the 2015 SDK wrote one after its getinfo reply).
  for (;;) {
    while (pos_ < end_ && (buf_[pos_] == '\n' || buf_[pos_] == '\r')) {
      ++pos_;
      ++offset_;
    }
    if (pos_ < end_) break;
    if (eof_) return Status::EndOfStream();
    if (Status s = Fill(); !s.ok()) return s;
    if (eof_ && pos_ == end_) return Status::EndOfStream();
  }
  // Collect the header line. Garbage is refused as soon as it cannot be a header, without
  // waiting for a line end that may never come.
  size_t scanned = 0;
  for (;;) {
    size_t avail = end_ - pos_;
    std::string_view have(buf_.data() + pos_, avail);
    size_t check = std::min(have.size(), kMagic.size());
    if (have.substr(0, check) != kMagic.substr(0, check)) {
      size_t nl = have.find('\n');
      return ParseChunkHeader(have.substr(0, std::min(nl, kMaxHeaderBytes)), limits_.strict_header,
                              meta_len, body_len);
    }
    size_t nl = have.find('\n', scanned);
    if (nl != std::string_view::npos && nl <= kMaxHeaderBytes) {
      Status s = ParseChunkHeader(have.substr(0, nl), limits_.strict_header, meta_len, body_len);
      if (!s.ok()) return s;
      pos_ += nl + 1;
      offset_ += nl + 1;
      return Status::Ok();
    }
    if (avail > kMaxHeaderBytes) {
      return Status::Protocol("chunk header longer than " + std::to_string(kMaxHeaderBytes) +
                              " bytes: \"" + Printable(have) + "\"");
    }
    scanned = avail;
    if (eof_) {
      return Status::Partial("end of input inside a chunk header: \"" + Printable(have) + "\"");
    }
    if (Status s = Fill(); !s.ok()) return s;
  }
}

Status ChunkReader::ReadExact(uint64_t n, std::string* out, const char* what) {
  // The bytes land in the storage *out already has: the chunk is reused from one request to
  // the next, and clearing it meant resize() zero-filled every body again before read()
  // overwrote it (about 5% of the map invocation's CPU). Only growth beyond the previous
  // size is zero-filled. Invariant: filled <= out->size(); *out ends with exactly the bytes read.
  size_t filled = 0;
  auto stop = [&](Status s) {
    out->resize(filled);
    return s;
  };
  while (filled < n) {
    uint64_t want = n - filled;
    if (pos_ < end_) {  // serve from the read-ahead first
      size_t take = static_cast<size_t>(std::min<uint64_t>(want, end_ - pos_));
      if (out->size() - filled >= take) {
        memcpy(out->data() + filled, buf_.data() + pos_, take);
      } else {
        out->resize(filled);
        out->append(buf_.data() + pos_, take);
      }
      filled += take;
      pos_ += take;
      offset_ += take;
      continue;
    }
    if (eof_) {
      return stop(Status::Partial("end of input inside the chunk " + std::string(what) + " after " +
                                  std::to_string(filled) + " of " + std::to_string(n) +
                                  " declared bytes"));
    }
    if (want < kReadAhead) {  // small remainder: go through the read-ahead buffer
      if (Status s = Fill(); !s.ok()) return stop(s);
      continue;
    }
    // Large remainder: read straight into the destination. Storage it already has is used as
    // it is; beyond that it grows geometrically from what has arrived (not from the declared
    // size, which may be a lie).
    size_t room = static_cast<size_t>(std::min<uint64_t>(out->size() - filled, want));
    if (room == 0) {
      if (out->capacity() == filled) {
        out->reserve(filled +
                     static_cast<size_t>(std::min<uint64_t>(want, std::max(kMinGrowth, filled))));
      }
      // resize() zero-fills; bound that work per read so small pipe reads stay linear overall.
      room =
          static_cast<size_t>(std::min<uint64_t>({out->capacity() - filled, want, kMaxReadStep}));
      out->resize(filled + room);
    }
    size_t got = 0;
    Status s = source_->Read(out->data() + filled, room, &got);
    filled += got;
    if (!s.ok()) return stop(s);
    offset_ += got;
    if (got == 0) eof_ = true;
  }
  out->resize(n);
  return Status::Ok();
}

Status ChunkReader::Next(Chunk* chunk) {
  uint64_t meta_len = 0, body_len = 0;
  uint64_t header_at = offset_;
  if (Status s = ReadHeader(&meta_len, &body_len); !s.ok()) return s;
  if (meta_len > limits_.max_metadata_bytes) {
    return Status::Limit("chunk at byte " + std::to_string(header_at) + " declares " +
                         std::to_string(meta_len) + " metadata bytes; the limit is " +
                         std::to_string(limits_.max_metadata_bytes));
  }
  if (body_len > limits_.max_body_bytes) {
    return Status::Limit("chunk at byte " + std::to_string(header_at) + " declares " +
                         std::to_string(body_len) + " body bytes; the limit is " +
                         std::to_string(limits_.max_body_bytes));
  }
  if (Status s = ReadExact(meta_len, &chunk->metadata, "metadata"); !s.ok()) return s;
  return ReadExact(body_len, &chunk->body, "body");
}

}  // namespace vd::scp
