#include "csv/writer.h"

#include <random>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "csv/multivalue.h"
#include "csv/reader.h"

namespace vd::csv {
namespace {

using Rows = std::vector<std::vector<std::string>>;

Rows ReadAll(std::string text) {
  Rows rows;
  Reader reader(text.data(), text.size());
  std::vector<std::string_view> cells;
  while (reader.Next(&cells)) rows.emplace_back(cells.begin(), cells.end());
  EXPECT_TRUE(reader.status().ok()) << reader.status().message();
  return rows;
}

TEST(CsvWriter, QuotesOnlyWhereNeeded) {
  std::string out;
  Writer w(&out);
  w.WriteRow({"plain", "a,b", "say \"x\"", "l1\nl2", "cr\r", " lead", "trail ", "mid dle", ""});
  EXPECT_EQ(out,
            "plain,\"a,b\",\"say \"\"x\"\"\",\"l1\nl2\",\"cr\r\",\" lead\",\"trail \",mid dle,\n");
}

TEST(CsvWriter, LoneEmptyCellIsQuoted) {
  std::string out;
  Writer w(&out);
  w.WriteRow({""});
  w.WriteCell("");
  w.EndRow();
  w.WriteCell("");
  w.WriteCell("");
  w.EndRow();
  EXPECT_EQ(out, "\"\"\n\"\"\n,\n");
  EXPECT_EQ(ReadAll(out), (Rows{{""}, {""}, {"", ""}}));
}

TEST(CsvWriter, RoundTripsRandomCells) {
  std::mt19937 rng(42);
  const char alphabet[] = {'a', ',', '"', '\n', '\r', ' ', '$', '\xe0', '\0'};
  for (int iter = 0; iter < 3000; ++iter) {
    Rows rows(1 + rng() % 4);
    size_t width = 1 + rng() % 4;
    for (auto& row : rows) {
      row.resize(width);
      for (std::string& cell : row) {
        size_t len = rng() % 5;
        for (size_t i = 0; i < len; ++i) cell += alphabet[rng() % sizeof(alphabet)];
      }
    }
    std::string out;
    Writer w(&out);
    for (const auto& row : rows) {
      std::vector<std::string_view> views(row.begin(), row.end());
      w.WriteRow(views);
    }
    ASSERT_EQ(ReadAll(out), rows) << out;
  }
}

TEST(TableWriter, HeaderIsUnionOfFieldsInFirstSeenOrder) {
  TableWriter t;
  t.BeginRow();
  t.Set("a", "1");
  t.Set("b", "2");
  t.BeginRow();
  t.Set("c", "3");
  t.Set("a", "4");
  t.BeginRow();
  std::string out;
  t.Finish(&out);
  EXPECT_EQ(out, "a,b,c\n1,2,\n4,,3\n,,\n");
  EXPECT_EQ(t.rows(), 0u);  // reset for the next table
}

TEST(TableWriter, SettingTwiceKeepsLastValue) {
  TableWriter t;
  t.Set("a", "old");  // implicit first row
  t.Set("a", "new");
  std::string out;
  t.Finish(&out);
  EXPECT_EQ(out, "a\nnew\n");
}

TEST(TableWriter, NothingWrittenWithoutRows) {
  TableWriter t;
  std::string out;
  t.Finish(&out);
  EXPECT_EQ(out, "");
}

TEST(TableWriter, MultivalueFieldsGetCompanionColumns) {
  TableWriter t;
  std::vector<std::string_view> two = {"x", "y$"};
  std::vector<std::string_view> one = {"only"};
  t.BeginRow();
  t.Set("s", "1");
  t.SetMulti("m", two);
  t.SetMulti("single", one);
  t.BeginRow();
  t.SetMulti("m", one);
  t.Set("s", "2");
  std::string out;
  t.Finish(&out);
  EXPECT_EQ(out,
            "s,m,single,__mv_m\n"
            "1,\"x\ny$\",only,$x$;$y$$$\n"
            "2,only,,\n");

  Rows rows = ReadAll(out);
  ASSERT_EQ(rows.size(), 3u);
  std::vector<std::string> decoded;
  ASSERT_TRUE(DecodeMultivalue(rows[1][3], &decoded));
  EXPECT_EQ(decoded, (std::vector<std::string>{"x", "y$"}));
}

TEST(TableWriter, WritesNothingForMvWhenNoRowHasTwoValues) {
  TableWriter t;
  std::vector<std::string_view> one = {"v"};
  t.SetMulti("f", one);
  t.BeginRow();
  t.SetMulti("f", {});
  std::string out;
  t.Finish(&out);
  EXPECT_EQ(out, "f\nv\n\"\"\n");
}

TEST(TableWriter, ReusableAfterFinish) {
  TableWriter t;
  t.Set("a", "1");
  std::string first;
  t.Finish(&first);
  t.Set("b", "2");
  std::string second;
  t.Finish(&second);
  EXPECT_EQ(first, "a\n1\n");
  EXPECT_EQ(second, "b\n2\n");
}

}  // namespace
}  // namespace vd::csv

namespace vd::csv {
namespace {

// The vectorized check agrees with the definition at every position and length (the
// 16-byte steps, the overlapping last 16 bytes, the overlapping halves of 4 to 15 bytes
// and the scalar bytes below 4).
TEST(WriterQuoting, NeedsQuotingMatchesTheDefinitionEverywhere) {
  auto naive = [](std::string_view c) {
    if (c.empty()) return false;
    if (c.front() == ' ' || c.back() == ' ') return true;
    return c.find_first_of(std::string_view(",\"\n\r", 4)) != std::string_view::npos;
  };
  const char specials[] = {',', '"', '\n', '\r', ' ', '\0', '\x80', '\xff', 'a'};
  for (size_t len = 0; len <= 40; ++len) {
    std::string base(len, 'x');
    EXPECT_EQ(Writer::NeedsQuoting(base), naive(base)) << len;
    for (size_t at = 0; at < len; ++at) {
      for (char s : specials) {
        std::string cell = base;
        cell[at] = s;
        ASSERT_EQ(Writer::NeedsQuoting(cell), naive(cell)) << len << " " << at << " " << int(s);
      }
    }
  }
}

// WriteRow (sized once, copied into place) writes exactly what cell-by-cell writing does,
// appended after what the output already holds; no cells is an empty line.
TEST(WriterQuoting, WriteRowEqualsCellByCell) {
  std::mt19937 rng(5);
  const char alphabet[] = {'a', ',', '"', '\n', '\r', ' ', '$', '\xe0', '\0'};
  for (int iter = 0; iter < 3000; ++iter) {
    std::vector<std::string> row(rng() % 6);
    for (std::string& cell : row) {
      for (size_t len = rng() % 24; len > 0; --len) cell += alphabet[rng() % sizeof(alphabet)];
    }
    std::vector<std::string_view> views(row.begin(), row.end());
    std::string whole = "prefix\n", by_cell = "prefix\n";
    Writer(&whole).WriteRow(views);
    Writer w(&by_cell);
    for (std::string_view v : views) w.WriteCell(v);
    w.EndRow();
    ASSERT_EQ(whole, by_cell) << iter;
  }
}

// One writer over many rows: after a row that needed quotes it takes the sizing path first
// and switches back once a row needs none; every row still equals its cell-by-cell text.
TEST(WriterQuoting, OneWriterAcrossQuotedAndPlainRows) {
  std::mt19937 rng(11);
  const char plain[] = {'a', 'b', '$', '.', '@', '1'};
  std::string whole, by_cell;
  Writer row_writer(&whole), cell_writer(&by_cell);
  for (int iter = 0; iter < 3000; ++iter) {
    std::vector<std::string> row(1 + rng() % 6);
    const bool quoted = rng() % 2 == 0;
    for (std::string& cell : row) {
      for (size_t len = rng() % 20; len > 0; --len) cell += plain[rng() % sizeof(plain)];
    }
    if (quoted) row[rng() % row.size()] += "x,\n\"y";
    std::vector<std::string_view> views(row.begin(), row.end());
    row_writer.WriteRow(views);
    for (std::string_view v : views) cell_writer.WriteCell(v);
    cell_writer.EndRow();
    ASSERT_EQ(whole, by_cell) << iter;
  }
}

// The same over the paths WriteRow picks by shape: rows of up to 64 cells keep their quoting
// flags in a bit mask, wider ones in a vector (one writer alternates between the two), and
// cells of every length up to 70 bytes take the inline copy.
TEST(WriterQuoting, WriteRowEqualsCellByCellWideRowsAndLongCells) {
  std::mt19937 rng(9);
  const char alphabet[] = {'a', 'b', 'c', 'd', 'e', 'f', ',', '"', ' ', '\xe0'};
  std::string whole = "prefix\n", by_cell = "prefix\n";
  Writer row_writer(&whole);
  Writer cell_writer(&by_cell);
  for (int iter = 0; iter < 600; ++iter) {
    const size_t widths[] = {1, 2, 17, 63, 64, 65, 66, 130};
    std::vector<std::string> row(widths[rng() % 8]);
    for (std::string& cell : row) {
      // Mostly plain cells, so that the odd quoted one lands on every index.
      const bool plain = rng() % 4 != 0;
      for (size_t len = rng() % 71; len > 0; --len) {
        cell += alphabet[rng() % (plain ? 6 : sizeof(alphabet))];
      }
    }
    std::vector<std::string_view> views(row.begin(), row.end());
    row_writer.WriteRow(views);
    for (std::string_view v : views) cell_writer.WriteCell(v);
    cell_writer.EndRow();
    ASSERT_EQ(whole, by_cell) << iter;
  }
}

}  // namespace
}  // namespace vd::csv
