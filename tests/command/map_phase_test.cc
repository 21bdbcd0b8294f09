// The map invocation reads a large chunk in two halves at once (threads=2): the output and
// the counts must be exactly one thread's, exact duplicates across the cut included, and a
// malformed row must give the same error wherever it lies.
#include "command/map_phase.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace vd::command {
namespace {

Arguments WithThreads(int threads) {
  Arguments a;
  EXPECT_TRUE(ParseArguments({"phase=map", "threads=" + std::to_string(threads)}, &a).ok());
  return a;
}

// Windows 4724 rows, ~100 bytes each; event ids repeat so that duplicates fall on both sides
// of any cut near the middle (row i repeats row i - `period`).
std::string Body(size_t rows, size_t period, bool quoted_newlines) {
  std::string s =
      "_time,sourcetype,EventCode,SubjectUserName,TargetUserName,RecordNumber,Message\n";
  for (size_t i = 0; i < rows; ++i) {
    const size_t id = period > 0 && i >= period && i % 3 == 0 ? i - period : i;
    s += std::to_string(1700000000 + i) + ",\"WinEventLog:Security\",4724,helpdesk" +
         std::to_string(i % 7) + ",user" + std::to_string(i % 1000) + "," + std::to_string(id) +
         (quoted_newlines ? ",\"line one\nline two, \"\"quoted\"\"\"\n" : ",plain\n");
  }
  return s;
}

struct MapRun {
  Status status;
  std::vector<std::string> outputs;
  std::string summary;
  uint64_t split = 0;
};

MapRun MapAll(std::vector<std::string> chunks, int threads) {
  Arguments args = WithThreads(threads);
  MapPhase map(args);
  MapRun r;
  for (std::string& c : chunks) {
    std::string out;
    r.status = map.ConsumeChunk(&c, &out);
    r.outputs.push_back(out);
    if (!r.status.ok()) break;
  }
  r.summary = map.Summary();
  r.split = map.split_chunks();
  return r;
}

// `split`: the two-thread run must have read some chunk in halves (a malformed block
// before the middle rightly keeps a chunk whole).
void ExpectSameAsOneThread(const std::vector<std::string>& chunks, bool split = true) {
  MapRun one = MapAll(chunks, 1);
  MapRun two = MapAll(chunks, 2);
  EXPECT_EQ(one.status.message(), two.status.message());
  ASSERT_EQ(one.outputs.size(), two.outputs.size());
  for (size_t i = 0; i < one.outputs.size(); ++i) {
    EXPECT_TRUE(one.outputs[i] == two.outputs[i])
        << "chunk " << i << ": " << one.outputs[i].size() << " vs " << two.outputs[i].size();
  }
  EXPECT_EQ(one.summary, two.summary);
  EXPECT_EQ(one.split, 0u);
  if (split) {
    EXPECT_GT(two.split, 0u);
  }
}

TEST(MapPhaseTest, TwoThreadsWriteWhatOneWrites) {
  const std::string body = Body(40000, 25000, false);  // ~3.6 MB: cut in two
  ASSERT_GT(body.size(), size_t{2} << 20);
  MapRun one = MapAll({body}, 1);
  ASSERT_TRUE(one.status.ok()) << one.status.message();
  EXPECT_NE(one.summary.find("exact duplicates dropped"), std::string::npos) << one.summary;
  ExpectSameAsOneThread({body});
  // Quoted cells holding newlines, and the same event ids again in a second chunk.
  ExpectSameAsOneThread({Body(30000, 12000, true), Body(30000, 0, true)});
}

TEST(MapPhaseTest, AChunkOfOnlyDuplicatesWritesNothing) {
  const std::string body = Body(40000, 0, false);
  MapRun one = MapAll({body, body}, 1);
  ASSERT_TRUE(one.status.ok());
  EXPECT_FALSE(one.outputs[0].empty());
  EXPECT_TRUE(one.outputs[1].empty());
  ExpectSameAsOneThread({body, body});
}

TEST(MapPhaseTest, AMalformedRowGivesOneThreadsErrorOnEitherSide) {
  const std::string body = Body(40000, 0, false);
  for (double where : {0.1, 0.45, 0.55, 0.9}) {
    std::string bad = body;
    size_t at = bad.find('\n', static_cast<size_t>(where * static_cast<double>(bad.size()))) + 1;
    bad.insert(at, "1700000000,\"never closed\n");
    MapRun one = MapAll({bad}, 1);
    EXPECT_FALSE(one.status.ok()) << where;
    ExpectSameAsOneThread({bad}, where > 0.5);
    std::string garbage = body;
    garbage.insert(at, "1700000000,\"closed\"x,4724\n");
    ExpectSameAsOneThread({garbage}, where > 0.5);
  }
}

}  // namespace
}  // namespace vd::command
