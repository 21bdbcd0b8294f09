// Real chunk bodies: an SDK-written stress chunk (multivalue, '$' escaping, embedded
// newlines, CRLF rows, random bytes) and a Splunk 8.0.3 multi-chunk session.
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "csv/multivalue.h"
#include "csv/reader.h"

namespace vd::csv {
namespace {

std::string ReadFile(const std::string& name) {
  std::string path = std::string(VD_TEST_DATA) + "/csv/" + name;
  std::string data;
  if (FILE* f = std::fopen(path.c_str(), "rb")) {
    char buf[1 << 16];
    size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) data.append(buf, n);
    std::fclose(f);
  }
  return data;
}

struct Chunk {
  std::string metadata;
  std::string body;
};

// Minimal framing split ("chunked 1.0,<metadata bytes>,<body bytes>\n"); the protocol
// layer proper lives elsewhere.
std::vector<Chunk> SplitChunks(const std::string& data) {
  std::vector<Chunk> chunks;
  size_t pos = 0;
  while (pos < data.size()) {
    size_t nl = data.find('\n', pos);
    EXPECT_NE(nl, std::string::npos);
    if (nl == std::string::npos) break;
    std::string header = data.substr(pos, nl - pos);
    EXPECT_EQ(header.rfind("chunked 1.0,", 0), 0u) << header;
    size_t comma = header.find(',', 12);
    size_t meta_len = std::stoul(header.substr(12, comma - 12));
    size_t body_len = std::stoul(header.substr(comma + 1));
    EXPECT_LE(nl + 1 + meta_len + body_len, data.size());
    if (nl + 1 + meta_len + body_len > data.size()) break;
    chunks.push_back({data.substr(nl + 1, meta_len), data.substr(nl + 1 + meta_len, body_len)});
    pos = nl + 1 + meta_len + body_len;
  }
  return chunks;
}

std::string Join(const std::vector<std::string>& values) {
  std::string out;
  for (size_t i = 0; i < values.size(); ++i) out += (i ? "\n" : "") + values[i];
  return out;
}

TEST(CsvFixtures, RecordWriterStressChunk) {
  std::string data = ReadFile("record_writer_stress.output");
  ASSERT_EQ(data.size(), 777217u);
  std::vector<Chunk> chunks = SplitChunks(data);
  ASSERT_EQ(chunks.size(), 1u);
  std::string& body = chunks[0].body;
  ASSERT_EQ(body.size(), 762288u);

  Reader reader(body.data(), body.size());
  std::vector<std::string_view> cells;
  ASSERT_TRUE(reader.Next(&cells));
  std::vector<std::string> header(cells.begin(), cells.end());
  ASSERT_EQ(header.size(), 12u);
  EXPECT_EQ(header[0], "_serial");
  EXPECT_EQ(header[11], "__mv_random_unicode");

  size_t rows = 0, mv_cells = 0, multiline_cells = 0;
  std::vector<std::string> values, again;
  while (reader.Next(&cells)) {
    ++rows;
    ASSERT_EQ(cells.size(), header.size()) << "row " << rows;
    for (size_t i = 0; i < header.size(); ++i) {
      if (cells[i].find('\n') != std::string_view::npos) ++multiline_cells;
      if (header[i].rfind("__mv_", 0) != 0 || cells[i].empty()) continue;
      ++mv_cells;
      ASSERT_TRUE(DecodeMultivalue(cells[i], &values)) << header[i] << " row " << rows;
      EXPECT_GE(values.size(), 2u);
      // The SDK's plain column (interleaved layout: field, then __mv_field) holds the
      // same values joined with LF.
      ASSERT_EQ(header[i - 1], header[i].substr(5));
      EXPECT_EQ(Join(values), cells[i - 1]) << header[i] << " row " << rows;
      std::vector<std::string_view> views(values.begin(), values.end());
      std::string plain, mv;
      EncodeMultivalue(views, &plain, &mv);
      EXPECT_EQ(plain, cells[i - 1]);
      ASSERT_TRUE(DecodeMultivalue(mv, &again));
      EXPECT_EQ(again, values);
    }
  }
  EXPECT_TRUE(reader.status().ok()) << reader.status().message();
  EXPECT_EQ(rows, 31u);  // Python's csv module reads 32 rows, header included
  EXPECT_EQ(reader.rows_read(), 32u);
  EXPECT_EQ(mv_cells, 31u);
  EXPECT_GT(multiline_cells, 0u);
}

TEST(CsvFixtures, MultibyteInputChunks) {
  std::string data = ReadFile("multibyte_input");
  ASSERT_EQ(data.size(), 1059352u);
  std::vector<Chunk> chunks = SplitChunks(data);
  ASSERT_EQ(chunks.size(), 10u);  // getinfo + 9 execute
  EXPECT_TRUE(chunks[0].body.empty());
  // Rows per execute body as Python's csv module counts them (header included).
  const size_t want_rows[] = {6639, 5862, 2, 6575, 5927, 6413, 6089, 1742, 1442};
  for (size_t c = 1; c < chunks.size(); ++c) {
    std::string& body = chunks[c].body;
    size_t lines = 0;
    for (char ch : body) lines += ch == '\n';
    Reader reader(body.data(), body.size());
    std::vector<std::string_view> cells;
    size_t rows = 0;
    while (reader.Next(&cells)) {
      ++rows;
      ASSERT_EQ(cells.size(), 4u) << "chunk " << c << " row " << rows;
      if (rows == 1) {
        EXPECT_EQ(cells[0], "_time");
        EXPECT_EQ(cells[3], "__mv_teststring");
      } else {
        EXPECT_EQ(cells[1], "\xe0\xb8\x97t");  // Thai letter + 't', bytes untouched
        EXPECT_TRUE(cells[2].empty() && cells[3].empty());
      }
    }
    EXPECT_TRUE(reader.status().ok()) << reader.status().message();
    EXPECT_EQ(rows, want_rows[c - 1]) << "chunk " << c;
    EXPECT_EQ(rows, lines) << "chunk " << c;  // no quoted newlines in these bodies
  }
}

}  // namespace
}  // namespace vd::csv
