#pragma once

#include <zlib.h>

#include <cstdio>
#include <string>
#include <vector>

#include "scp/byte_io.h"
#include "scp/chunk_reader.h"
#include "support/string_io.h"

namespace vd::scp::testing {

inline std::string DataPath(const std::string& name) {
  return std::string(VD_TEST_DATA) + "/scp/" + name;
}

// Reads a file; a name ending in .gz is decompressed (zlib's gz* reads plain files too).
inline std::string ReadData(const std::string& name) {
  std::string out;
  gzFile f = gzopen(DataPath(name).c_str(), "rb");
  if (!f) return out;
  char buf[1 << 16];
  int n;
  while ((n = gzread(f, buf, sizeof buf)) > 0) out.append(buf, static_cast<size_t>(n));
  gzclose(f);
  return out;
}

// Splits a byte stream into chunks; *end is the status that ended it.
inline std::vector<Chunk> ReadChunks(const std::string& bytes, Status* end,
                                     size_t max_read = SIZE_MAX, ReaderLimits limits = {}) {
  StringSource source(bytes, max_read);
  ChunkReader reader(&source, limits);
  std::vector<Chunk> chunks;
  Chunk chunk;
  Status s;
  while ((s = reader.Next(&chunk)).ok()) chunks.push_back(chunk);
  *end = s;
  return chunks;
}

inline std::string Frame(std::string_view meta, std::string_view body = {}) {
  return "chunked 1.0," + std::to_string(meta.size()) + "," + std::to_string(body.size()) + "\n" +
         std::string(meta) + std::string(body);
}

}  // namespace vd::scp::testing
