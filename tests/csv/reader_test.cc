#include "csv/reader.h"

#include <algorithm>
#include <random>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

namespace vd::csv {
namespace {

using Rows = std::vector<std::vector<std::string>>;

struct Parsed {
  Rows rows;
  Status status;
};

Parsed Parse(std::string text) {
  Parsed out;
  Reader reader(text.data(), text.size());
  std::vector<std::string_view> cells;
  while (reader.Next(&cells)) out.rows.emplace_back(cells.begin(), cells.end());
  out.status = reader.status();
  EXPECT_EQ(reader.rows_read(), out.rows.size());
  return out;
}

Rows ParseOk(std::string text) {
  Parsed p = Parse(std::move(text));
  EXPECT_TRUE(p.status.ok()) << p.status.message();
  return p.rows;
}

TEST(CsvReader, EmptyBodyHasNoRows) { EXPECT_EQ(ParseOk(""), Rows{}); }

TEST(CsvReader, HeaderOnly) {
  EXPECT_EQ(ParseOk("a,b,c\n"), (Rows{{"a", "b", "c"}}));
  EXPECT_EQ(ParseOk("age,\"_chunked_idx\",\"__mv_age\",\"__mv__chunked_idx\"\n"),
            (Rows{{"age", "_chunked_idx", "__mv_age", "__mv__chunked_idx"}}));
}

TEST(CsvReader, LfCrlfAndLoneCrLineEnds) {
  Rows want{{"a", "b"}, {"1", "2"}, {"3", "4"}};
  EXPECT_EQ(ParseOk("a,b\n1,2\n3,4\n"), want);
  EXPECT_EQ(ParseOk("a,b\r\n1,2\r\n3,4\r\n"), want);
  EXPECT_EQ(ParseOk("a,b\r1,2\r3,4\r"), want);
  EXPECT_EQ(ParseOk("a,b\r\n1,2\n3,4\r"), want);
}

TEST(CsvReader, MissingFinalNewline) {
  EXPECT_EQ(ParseOk("a,b\n1,2"), (Rows{{"a", "b"}, {"1", "2"}}));
  EXPECT_EQ(ParseOk("a,b\n1,\"2\""), (Rows{{"a", "b"}, {"1", "2"}}));
  EXPECT_EQ(ParseOk("x"), (Rows{{"x"}}));
}

TEST(CsvReader, EmptyCells) {
  EXPECT_EQ(ParseOk(",\n"), (Rows{{"", ""}}));
  EXPECT_EQ(ParseOk("a,,b,\n"), (Rows{{"a", "", "b", ""}}));
  EXPECT_EQ(ParseOk("a,"), (Rows{{"a", ""}}));
  EXPECT_EQ(ParseOk("\"\",\"\"\n"), (Rows{{"", ""}}));
  // An empty line is one row holding one empty cell.
  EXPECT_EQ(ParseOk("a\n\nb\n"), (Rows{{"a"}, {""}, {"b"}}));
  EXPECT_EQ(ParseOk("\"\"\n"), (Rows{{""}}));
}

TEST(CsvReader, QuotedCellsHoldSpecials) {
  EXPECT_EQ(ParseOk("\"a,b\",\"c\nd\",\"e\r\nf\",\"g\rh\"\n"),
            (Rows{{"a,b", "c\nd", "e\r\nf", "g\rh"}}));
  EXPECT_EQ(ParseOk("\"say \"\"hi\"\"\",\"\"\"\",\"\"\"\"\"\"\"\"\n"),
            (Rows{{"say \"hi\"", "\"", "\"\"\""}}));
}

TEST(CsvReader, QuoteInsideUnquotedCellIsData) {
  EXPECT_EQ(ParseOk("a\"b,c\"\n"), (Rows{{"a\"b", "c\""}}));
}

TEST(CsvReader, UnescapesInPlaceWithoutCopying) {
  std::string text = "x,\"a\"\"b\"\"c\",y\n";
  Reader reader(text.data(), text.size());
  std::vector<std::string_view> cells;
  ASSERT_TRUE(reader.Next(&cells));
  ASSERT_EQ(cells.size(), 3u);
  EXPECT_EQ(cells[1], "a\"b\"c");
  for (std::string_view c : cells) {
    EXPECT_GE(c.data(), text.data());
    EXPECT_LE(c.data() + c.size(), text.data() + text.size());
  }
  EXPECT_EQ(cells[2], "y");
  EXPECT_FALSE(reader.Next(&cells));
  EXPECT_TRUE(cells.empty());
  EXPECT_TRUE(reader.status().ok());
  EXPECT_EQ(reader.offset(), text.size());
}

TEST(CsvReader, OpaqueBytes) {
  std::string text("\xff\xfe,\"\x80\0\xc3\x28\"\n\xe0\xb8\x97t\n", 15);
  Rows rows = ParseOk(text);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0][0], "\xff\xfe");
  EXPECT_EQ(rows[0][1], std::string("\x80\0\xc3\x28", 4));
  EXPECT_EQ(rows[1][0], "\xe0\xb8\x97t");
}

TEST(CsvReader, UnterminatedQuoteIsParseErrorWithRowAndOffset) {
  Parsed p = Parse("a,b\n1,\"open\n2,3\n");
  ASSERT_EQ(p.status.code(), Status::Code::kParse);
  EXPECT_EQ(p.rows, (Rows{{"a", "b"}}));
  EXPECT_NE(p.status.message().find("row 2"), std::string::npos) << p.status.message();
  EXPECT_NE(p.status.message().find("offset 6"), std::string::npos) << p.status.message();
  EXPECT_NE(p.status.message().find("unterminated"), std::string::npos);
}

TEST(CsvReader, EscapedQuoteAtEndIsStillUnterminated) {
  Parsed p = Parse("\"abc\"\"");
  EXPECT_EQ(p.status.code(), Status::Code::kParse);
  EXPECT_TRUE(p.rows.empty());
}

TEST(CsvReader, GarbageAfterClosingQuoteIsParseError) {
  Parsed p = Parse("h\n\"ok\"\n\"ab\"c,d\n");
  ASSERT_EQ(p.status.code(), Status::Code::kParse);
  EXPECT_EQ(p.rows, (Rows{{"h"}, {"ok"}}));
  EXPECT_NE(p.status.message().find("row 3"), std::string::npos) << p.status.message();
  EXPECT_NE(p.status.message().find("offset 11"), std::string::npos) << p.status.message();
}

TEST(CsvReader, NextAfterErrorKeepsFailing) {
  std::string text = "\"x\"y\nz\n";
  Reader reader(text.data(), text.size());
  std::vector<std::string_view> cells;
  EXPECT_FALSE(reader.Next(&cells));
  EXPECT_FALSE(reader.Next(&cells));
  EXPECT_EQ(reader.status().code(), Status::Code::kParse);
  EXPECT_EQ(reader.rows_read(), 0u);
}

TEST(CsvReader, LongCellsCrossManyBlocks) {
  std::string big(1000, 'x');
  std::string quoted_big;
  for (int i = 0; i < 300; ++i) quoted_big += "ab\"\"c,\n";
  std::string text = big + ",\"" + quoted_big + "\"\r\n" + big + "\n";
  std::string want_quoted;
  for (int i = 0; i < 300; ++i) want_quoted += "ab\"c,\n";
  EXPECT_EQ(ParseOk(text), (Rows{{big, want_quoted}, {big}}));
}

// Regression: the 16-byte unescape copy once ran while the output lagged the input by
// fewer than 16 bytes, overwriting input it had not read yet.
TEST(CsvReader, RegressionUnescapeNeverOverwritesUnreadInput) {
  std::string cell, want;
  for (int i = 0; i < 40; ++i) {
    cell += std::string(static_cast<size_t>(i % 19), 'a' + static_cast<char>(i % 26)) + "\"\"";
    want += std::string(static_cast<size_t>(i % 19), 'a' + static_cast<char>(i % 26)) + "\"";
  }
  EXPECT_EQ(ParseOk("x,\"" + cell + "\",y\n"), (Rows{{"x", want, "y"}}));
}

TEST(CsvReader, CountRows) {
  std::string text = "a,b\n1,2\n\"3\n\",4\n";
  Result<size_t> n = CountRows(text.data(), text.size());
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(n.value(), 3u);
  std::string bad = "a\n\"b";
  EXPECT_FALSE(CountRows(bad.data(), bad.size()).ok());
}

// A byte-at-a-time reference parser with the same dialect, to check the block scanner
// on every alignment of every special byte.
Parsed ReferenceParse(const std::string& s) {
  Parsed out;
  size_t i = 0, n = s.size();
  while (i < n) {
    std::vector<std::string> row;
    while (true) {
      std::string cell;
      if (i < n && s[i] == '"') {
        size_t open = i++;
        while (true) {
          if (i >= n) {
            out.status = Status::Parse("unterminated " + std::to_string(open));
            return out;
          }
          if (s[i] == '"') {
            if (i + 1 < n && s[i + 1] == '"') {
              cell += '"';
              i += 2;
              continue;
            }
            ++i;
            break;
          }
          cell += s[i++];
        }
      } else {
        while (i < n && s[i] != ',' && s[i] != '\n' && s[i] != '\r') cell += s[i++];
      }
      row.push_back(cell);
      if (i >= n) break;
      if (s[i] == ',') {
        ++i;
        continue;
      }
      if (s[i] == '\n') {
        ++i;
        break;
      }
      if (s[i] == '\r') {
        ++i;
        if (i < n && s[i] == '\n') ++i;
        break;
      }
      out.status = Status::Parse("garbage " + std::to_string(i));
      return out;
    }
    out.rows.push_back(row);
  }
  return out;
}

TEST(CsvReader, MatchesReferenceOnRandomInputs) {
  std::mt19937 rng(4180);
  const char alphabet[] = {'a', 'b', ',', '"', '"', '\n', '\r', ' ', '\0', '\xff'};
  for (int iter = 0; iter < 20000; ++iter) {
    size_t len = rng() % (iter < 15000 ? 40 : 400);
    std::string s;
    for (size_t k = 0; k < len; ++k) s += alphabet[rng() % sizeof(alphabet)];
    Parsed want = ReferenceParse(s);
    Parsed got = Parse(s);
    ASSERT_EQ(got.status.ok(), want.status.ok()) << "input: " << s;
    ASSERT_EQ(got.rows, want.rows) << "input: " << s;
  }
}

// Mostly well-formed bodies (the block fast path) with rare defects (the slow path),
// long enough to cross many blocks, against the reference parser.
TEST(CsvReader, MatchesReferenceOnWellFormedBodiesWithRareDefects) {
  std::mt19937 rng(64);
  const char cell_bytes[] = {'a', 'b', ' ', ',', '"', '\n', '\r', '$', '\xe0'};
  for (int iter = 0; iter < 3000; ++iter) {
    std::string s;
    size_t rows = 1 + rng() % 12;
    for (size_t r = 0; r < rows; ++r) {
      size_t width = 1 + rng() % 6;
      for (size_t c = 0; c < width; ++c) {
        if (c) s += ',';
        std::string cell;
        size_t len = rng() % (rng() % 4 == 0 ? 90 : 8);
        for (size_t k = 0; k < len; ++k) cell += cell_bytes[rng() % sizeof(cell_bytes)];
        bool quote = rng() % 2 == 0 || cell.find_first_of(",\"\r\n") != std::string::npos;
        if (quote) {
          s += '"';
          for (char ch : cell) s += ch == '"' ? std::string("\"\"") : std::string(1, ch);
          s += '"';
        } else {
          s += cell;
        }
      }
      s += rng() % 3 == 0 ? "\r\n" : "\n";
    }
    if (rng() % 4 == 0) s.pop_back();  // missing final terminator
    if (rng() % 3 == 0 && !s.empty()) s[rng() % s.size()] = "\",x\n\r"[rng() % 5];  // a defect
    Parsed want = ReferenceParse(s);
    Parsed got = Parse(s);
    ASSERT_EQ(got.status.ok(), want.status.ok()) << "input: " << s;
    ASSERT_EQ(got.rows, want.rows) << "input: " << s;
  }
}

// Every SIMD level the CPU has, through both the vector and the span API, against the
// reference parser: bodies long enough to span several 16 KB scan windows, with '""'
// escapes, CRLF and quoted cells straddling window and block boundaries, and rare
// defects that send a row to the slow path in the middle of a window.
Parsed ParseAt(std::string text, SimdLevel level, bool span_api) {
  Parsed out;
  Reader reader(text.data(), text.size(), level);
  EXPECT_LE(static_cast<int>(reader.simd_level()), static_cast<int>(level));
  if (span_api) {
    std::span<const std::string_view> cells;
    while (reader.NextRow(&cells)) out.rows.emplace_back(cells.begin(), cells.end());
  } else {
    std::vector<std::string_view> cells;
    while (reader.Next(&cells)) out.rows.emplace_back(cells.begin(), cells.end());
  }
  out.status = reader.status();
  EXPECT_EQ(reader.rows_read(), out.rows.size());
  if (out.status.ok()) {
    EXPECT_EQ(reader.offset(), text.size());
  }
  return out;
}

constexpr SimdLevel kLevels[] = {SimdLevel::kBaseline, SimdLevel::kAvx2, SimdLevel::kAvx512};

void ExpectSameAsReference(const std::string& s) {
  Parsed want = ReferenceParse(s);
  std::string first_error;
  for (SimdLevel level : kLevels) {
    for (bool span_api : {false, true}) {
      Parsed got = ParseAt(s, level, span_api);
      ASSERT_EQ(got.status.ok(), want.status.ok())
          << "level " << static_cast<int>(level) << " input size " << s.size();
      ASSERT_EQ(got.rows, want.rows) << "level " << static_cast<int>(level);
      // The error text (row and byte offset) is the same whichever path found it.
      if (first_error.empty()) first_error = got.status.message();
      ASSERT_EQ(got.status.message(), first_error);
    }
  }
}

std::string RandomBody(std::mt19937* rng, size_t target, bool crlf, int defect_per_mille) {
  const char cell_bytes[] = {'a', 'b', ' ', ',', '"', '\n', '\r', '$', '\xe0', '\0'};
  std::string s;
  while (s.size() < target) {
    size_t width = 1 + (*rng)() % 20;
    for (size_t c = 0; c < width; ++c) {
      if (c) s += ',';
      std::string cell;
      unsigned shape = (*rng)() % 100;
      size_t len = shape < 30 ? 0 : shape < 95 ? (*rng)() % 12 : (*rng)() % 300;
      if (shape == 99) len = 17000 + (*rng)() % 3000;  // longer than a scan window
      for (size_t k = 0; k < len; ++k) cell += cell_bytes[(*rng)() % sizeof(cell_bytes)];
      bool quote = (*rng)() % 2 == 0 || cell.find_first_of(",\"\r\n") != std::string::npos;
      if (quote) {
        s += '"';
        for (char ch : cell) s += ch == '"' ? std::string("\"\"") : std::string(1, ch);
        s += '"';
      } else {
        s += cell;
      }
    }
    s += crlf && (*rng)() % 2 ? "\r\n" : (*rng)() % 50 == 0 ? "\r" : "\n";
    if (static_cast<int>((*rng)() % 1000) < defect_per_mille) {
      s[(*rng)() % s.size()] = "\",x\n\r"[(*rng)() % 5];
    }
  }
  return s;
}

TEST(CsvReader, AllSimdLevelsMatchReferenceAcrossWindows) {
  std::mt19937 rng(16384);
  for (int iter = 0; iter < 60; ++iter) {
    std::string s = RandomBody(&rng, 20000 + rng() % 60000, iter % 2 == 1, iter % 3 == 0 ? 0 : 5);
    if (iter % 4 == 0) s.pop_back();  // missing final terminator (or a lone-CR row end)
    ExpectSameAsReference(s);
    if (HasFatalFailure()) return;
  }
}

TEST(CsvReader, AllSimdLevelsMatchReferenceOnShortInputs) {
  std::mt19937 rng(4180);
  const char alphabet[] = {'a', ',', '"', '"', '\n', '\r', '\0', '\xff'};
  for (int iter = 0; iter < 6000; ++iter) {
    size_t len = rng() % 200;
    std::string s;
    for (size_t k = 0; k < len; ++k) s += alphabet[rng() % sizeof(alphabet)];
    ExpectSameAsReference(s);
    if (HasFatalFailure()) return;
  }
}

// Each special byte and each '""' and CRLF pair placed on every offset around a block
// and a window boundary.
TEST(CsvReader, AllSimdLevelsMatchReferenceAtBoundaries) {
  const std::string pieces[] = {"\"\"\"\"", "\r\n", "\"a\"\"\"", "\"\",", "\"x\"\r\n", ",\n"};
  for (size_t boundary : {size_t{64}, size_t{16384}}) {
    for (size_t shift = 0; shift < 8; ++shift) {
      for (const std::string& piece : pieces) {
        std::string filler;
        while (filler.size() + 12 < boundary - 4 + shift) filler += "ab,\"c\"\n";
        filler.append(boundary - 4 + shift - filler.size(), 'z');
        ExpectSameAsReference(filler + piece + "tail,\"q\"\"\"\n");
        ExpectSameAsReference(filler + "\"" + piece + "\"\n" + "x");
        if (HasFatalFailure()) return;
      }
    }
  }
}

TEST(CsvReader, NextRowViewsTheReadersCells) {
  std::string text = "a,\"b\"\"c\",\n\"d\ne\"\r\n";
  Reader reader(text.data(), text.size());
  std::span<const std::string_view> row;
  ASSERT_TRUE(reader.NextRow(&row));
  ASSERT_EQ(row.size(), 3u);
  EXPECT_EQ(row[0], "a");
  EXPECT_EQ(row[1], "b\"c");
  EXPECT_EQ(row[2], "");
  ASSERT_TRUE(reader.NextRow(&row));
  ASSERT_EQ(row.size(), 1u);
  EXPECT_EQ(row[0], "d\ne");
  EXPECT_FALSE(reader.NextRow(&row));
  EXPECT_TRUE(row.empty());
  EXPECT_TRUE(reader.status().ok());
}

TEST(CsvReader, RowWiderThanAnyBefore) {
  std::string wide;
  for (int i = 0; i < 5000; ++i) wide += (i % 3 == 0 ? "\"q\"," : "v,");
  wide += "end\n";
  std::string text = "a,b\n" + wide + "c\n";
  Rows rows = ParseOk(text);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[1].size(), 5001u);
  EXPECT_EQ(rows[1][0], "q");
  EXPECT_EQ(rows[1][5000], "end");
  ExpectSameAsReference(text);
}

// The AVX-512 stage 2 cuts eight cells per step across row ends: every row width from
// 1 to 26 (groups straddling row ends at every lane), rows crossing 16 KB windows,
// '""' cells at any lane, and CRLF / lone CR ends.
TEST(CsvReader, AllSimdLevelsMatchReferenceOnEveryRowWidth) {
  const std::string shapes[] = {"a", "", "\"q\"", "\"x\"\"y\"", "\"\"", "\"a,b\nc\"", "bc"};
  for (size_t width = 1; width <= 26; ++width) {
    std::string s;
    size_t n = 0;
    while (s.size() < 40000) {
      for (size_t c = 0; c < width; ++c, ++n) {
        if (c) s += ',';
        s += shapes[(n * 7 + width) % 7];
      }
      s += n % 5 == 0 ? "\r\n" : n % 11 == 0 ? "\r" : "\n";
    }
    ExpectSameAsReference(s);
    if (HasFatalFailure()) return;
  }
}

// A row wider than several windows, its cells holding '""' at the window edges, between
// ordinary rows.
TEST(CsvReader, AllSimdLevelsMatchReferenceOnRowsWiderThanWindows) {
  std::string wide;
  for (int i = 0; i < 9000; ++i) wide += i % 4 == 0 ? "\"a\"\"b\"," : i % 4 == 1 ? "," : "cd,";
  std::string text = "h1,h2\r\n" + wide + "end\r\nx,\"y\"\n" + wide + "\"last\"\"\"";
  ExpectSameAsReference(text);
}

}  // namespace
}  // namespace vd::csv

namespace vd::csv {
namespace {

// Where the reference parser starts each row (stopping at an error).
std::vector<size_t> ReferenceRowStarts(const std::string& s) {
  std::vector<size_t> starts;
  size_t i = 0, n = s.size();
  while (i < n) {
    starts.push_back(i);
    bool row_done = false;
    while (!row_done) {
      if (i < n && s[i] == '"') {
        ++i;
        while (true) {
          if (i >= n) return starts;  // unterminated
          if (s[i] == '"') {
            if (i + 1 < n && s[i + 1] == '"') {
              i += 2;
              continue;
            }
            ++i;
            break;
          }
          ++i;
        }
      } else {
        while (i < n && s[i] != ',' && s[i] != '\n' && s[i] != '\r') ++i;
      }
      if (i >= n) return starts;
      if (s[i] == ',') {
        ++i;
      } else if (s[i] == '\n') {
        ++i;
        row_done = true;
      } else if (s[i] == '\r') {
        ++i;
        if (i < n && s[i] == '\n') ++i;
        row_done = true;
      } else {
        return starts;  // garbage after a closing quote
      }
    }
  }
  return starts;
}

// A body cut at FindRowStart reads as two bodies giving the same rows, and the same error
// text once the second reader's position is shifted (Reader::StatusAfter).
void ExpectSplitReadsTheSame(const std::string& s, size_t from) {
  const size_t cut = FindRowStart(s.data(), s.size(), from);
  // It is the reader's own stage 1: every level cuts in the same place.
  for (SimdLevel level : kLevels) {
    ASSERT_EQ(FindRowStart(s.data(), s.size(), from, level), cut) << static_cast<int>(level);
  }
  if (cut == SIZE_MAX) return;
  const std::vector<size_t> starts = ReferenceRowStarts(s);
  // The body's own start is never a cut.
  auto it = std::lower_bound(starts.begin(), starts.end(), std::max<size_t>(from, 1));
  ASSERT_TRUE(it != starts.end()) << "cut " << cut << " from " << from;
  ASSERT_EQ(*it, cut) << "from " << from << " size " << s.size();

  Parsed whole = Parse(s);
  std::string copy = s;
  Rows rows;
  Reader first(copy.data(), cut);
  std::vector<std::string_view> cells;
  while (first.Next(&cells)) rows.emplace_back(cells.begin(), cells.end());
  ASSERT_TRUE(first.status().ok()) << first.status().message();
  Reader second(copy.data() + cut, copy.size() - cut);
  while (second.Next(&cells)) rows.emplace_back(cells.begin(), cells.end());
  EXPECT_EQ(rows, whole.rows);
  EXPECT_EQ(second.StatusAfter(first.rows_read(), cut).message(), whole.status.message());
}

TEST(CsvReader, FindRowStartCutsWhereTheReaderStartsARow) {
  std::mt19937 rng(2024);
  for (int iter = 0; iter < 300; ++iter) {
    const int defects = iter % 3 == 0 ? 0 : iter % 3 == 1 ? 2 : 50;
    std::string s = RandomBody(&rng, 1 + rng() % 60000, rng() % 2 == 0, defects);
    for (int k = 0; k < 8; ++k) ExpectSplitReadsTheSame(s, rng() % (s.size() + 1));
    ExpectSplitReadsTheSame(s, s.size() / 2);
  }
}

TEST(CsvReader, FindRowStartFindsTheMiddleOfAWellFormedBody) {
  std::mt19937 rng(7);
  for (int iter = 0; iter < 20; ++iter) {
    std::string s = RandomBody(&rng, 200000, iter % 2 == 0, 0);
    const size_t cut = FindRowStart(s.data(), s.size(), s.size() / 2);
    ASSERT_NE(cut, SIZE_MAX);
    ExpectSplitReadsTheSame(s, s.size() / 2);
  }
  EXPECT_EQ(FindRowStart("a,b\nc,d\n", 8, 3), SIZE_MAX);  // under one block: never cut
  EXPECT_EQ(FindRowStart("", 0, 0), SIZE_MAX);
}

TEST(CsvReader, FindRowStartNeverCutsInsideAQuotedCell) {
  std::string s;
  for (int i = 0; i < 5000; ++i) s += "\"multi\nline\ncell\"," + std::to_string(i) + "\n";
  for (size_t from : {size_t{0}, size_t{1}, s.size() / 3, s.size() / 2}) {
    ExpectSplitReadsTheSame(s, from);
    const size_t cut = FindRowStart(s.data(), s.size(), from);
    ASSERT_NE(cut, SIZE_MAX);
    EXPECT_EQ(s[cut], '"') << cut;  // a row start, never the newline inside the cell
  }
}

}  // namespace
}  // namespace vd::csv
