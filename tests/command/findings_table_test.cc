// The result CSV is streamed straight from the findings; it must be byte for byte the table
// csv::TableWriter builds from the same findings' records (the general union-of-fields writer).
#include "command/findings_table.h"

#include <deque>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "csv/writer.h"
#include "detect/finding_fields.h"

namespace vd::command {
namespace {

std::string ViaTableWriter(const detect::Findings& findings) {
  std::string out;
  csv::TableWriter table;
  std::vector<std::string_view> values;
  for (const detect::OutRecord& record : detect::ToRecords(findings)) {
    table.BeginRow();
    for (const detect::OutField& field : record) {
      values.assign(field.values.begin(), field.values.end());
      table.SetMulti(field.name, values);
    }
  }
  table.Finish(&out);
  return out;
}

// Text that needs quoting, '$' (doubled in __mv_), a newline, or nothing at all. Static
// texts: findings hold views.
std::string_view Text(std::mt19937* rng) {
  static const char* const kPieces[] = {"",           "jdoe@contoso.com", "CONTOSO\\hd",
                                        "a,b",        "say \"hi\"",       "$cash$",
                                        "two\nlines", " padded "};
  return kPieces[(*rng)() % 8];
}

std::vector<std::string_view> List(std::mt19937* rng, size_t max) {
  std::vector<std::string_view> v;
  for (size_t i = (*rng)() % (max + 1); i > 0; --i) v.push_back(Text(rng));
  return v;
}

detect::BulkFinding Bulk(std::mt19937* rng, size_t max_list) {
  detect::BulkFinding b;
  b.initiator = Text(rng);
  b.severity = static_cast<detect::Severity>((*rng)() % 4);
  b.reset_count = static_cast<int64_t>((*rng)() % 100);
  b.unique_targets = -static_cast<int64_t>((*rng)() % 3);
  b.affected_accounts = List(rng, max_list);
  b.source_ips = List(rng, max_list);
  b.sources = List(rng, max_list);
  b.first_reset = static_cast<TimeMs>((*rng)() % 2000000000000ULL) - 1000;
  b.last_reset = b.first_reset + (*rng)() % 5000;
  b.src = Text(rng);
  return b;
}

detect::ChainFinding Chain(std::mt19937* rng, size_t max_list) {
  detect::ChainFinding c;
  c.reset_time = static_cast<TimeMs>((*rng)() % 2000000000000ULL);
  c.mfa_time = c.reset_time + (*rng)() % 100000;
  c.high_confidence = (*rng)() % 2;
  c.target_user = Text(rng);
  c.initiator_upn = Text(rng);
  c.initiator_ip = Text(rng);
  c.mfa_detail = Text(rng);
  c.mfa_operations = List(rng, max_list);
  c.reset_source = static_cast<events::Source>((*rng)() % 4);
  c.signin_ip = Text(rng);
  c.signin_baseline = (*rng)() % 2 ? detect::SigninBaseline::kKnown : detect::SigninBaseline::kNone;
  return c;
}

TEST(FindingsTable, NothingWhenThereAreNoFindings) {
  std::string out = "kept";
  WriteFindingsCsv(detect::Findings{}, &out);
  EXPECT_EQ(out, "kept");
}

TEST(FindingsTable, SameBytesAsTheGeneralTableWriter) {
  std::mt19937 rng(7);
  for (int round = 0; round < 300; ++round) {
    detect::Findings f;
    size_t bulk = rng() % 4, chains = rng() % 4;
    size_t max_list = round % 3 == 0 ? 1 : 3;  // sometimes no field is ever multivalue
    for (size_t i = 0; i < bulk; ++i) f.bulk.push_back(Bulk(&rng, max_list));
    for (size_t i = 0; i < chains; ++i) f.chains.push_back(Chain(&rng, max_list));
    std::string got;
    WriteFindingsCsv(f, &got);
    ASSERT_EQ(got, ViaTableWriter(f)) << "round " << round;
    // The size announced in the chunk header before the body is streamed.
    EXPECT_EQ(FindingsCsv(&f).size(), got.size()) << "round " << round;
  }
}

// Counts the pieces a streamed body arrives in.
class PieceSink : public scp::ByteSink {
 public:
  Status Write(std::string_view a, std::string_view b, std::string_view c) override {
    ++pieces;
    data.append(a).append(b).append(c);
    return Status::Ok();
  }
  int pieces = 0;
  std::string data;
};

TEST(FindingsTable, LargeTablesGoOutInPiecesWithTheSameBytes) {
  // Longer than the writer's buffer in total, and one value longer than the buffer itself.
  std::deque<std::string> texts;
  detect::Findings f;
  detect::BulkFinding& b = f.bulk.emplace_back();
  b.initiator = "hd";
  for (int i = 0; i < 100000; ++i) {
    b.affected_accounts.push_back(texts.emplace_back("user" + std::to_string(i) + "@contoso.com"));
  }
  b.source_ips.push_back(texts.emplace_back(std::string(1500000, 'x') + "$,\"\n"));
  b.source_ips.push_back("10.0.0.1");
  std::mt19937 rng(3);
  f.chains.push_back(Chain(&rng, 3));
  FindingsCsv csv(&f);
  PieceSink sink;
  ASSERT_TRUE(csv.WriteTo(&sink).ok());
  EXPECT_GT(sink.pieces, 3);
  EXPECT_EQ(sink.data.size(), csv.size());
  EXPECT_TRUE(sink.data == ViaTableWriter(f));
}

TEST(FindingsTable, ChainsOnlyHaveNoBulkColumns) {
  std::mt19937 rng(1);
  detect::Findings f;
  f.chains.push_back(Chain(&rng, 1));
  std::string out;
  WriteFindingsCsv(f, &out);
  std::string header = out.substr(0, out.find('\n'));
  EXPECT_EQ(header.find("ResetCount"), std::string::npos) << header;
  EXPECT_EQ(header.rfind("_time,detection,finding_id,severity,", 0), 0u) << header;
  EXPECT_NE(header.find(",__mv_mitre_technique_id"), std::string::npos) << header;
}

}  // namespace
}  // namespace vd::command
