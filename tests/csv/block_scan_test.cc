// The stage-1 kernels on their own: what they report about how far they got, which the
// reader's window bookkeeping relies on. Each kernel the CPU can run is checked.
#include "csv/block_scan.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "csv/reader.h"

namespace vd::csv::internal {
namespace {

struct Kernel {
  const char* name;
  ScanFn fn;
};

// The baseline kernel and each wider one up to the level the reader itself picks for this
// CPU (its feature checks, not a copy of them).
std::vector<Kernel> RunnableKernels() {
  std::vector<Kernel> kernels = {{"baseline", ScanBaseline}};
#if defined(VD_CSV_X86_KERNELS)
  char none[1] = {};
  SimdLevel level = Reader(none, 0).simd_level();
  if (level >= SimdLevel::kAvx2) kernels.push_back({"avx2", ScanAvx2});
  if (level >= SimdLevel::kAvx512) kernels.push_back({"avx512", ScanAvx512});
#endif
  return kernels;
}

// `blocks` 64-byte blocks of 16-byte rows with quoted cells and a '""' escape.
std::string ValidBlocks(size_t blocks) {
  std::string s;
  while (s.size() < blocks * kBlock) s += "\"q\",abcd,\"e\"\"f\"\n";
  return s;
}

struct Scanned {
  ScanResult result;
  size_t entries;
  ScanCarry carry;
};

Scanned Scan(const Kernel& k, const std::string& data, size_t max_blocks, uint64_t live,
             ScanCarry carry) {
  static std::vector<uint32_t> idx, esc;
  idx.assign(data.size() + kIndexSlack, 0);
  esc.assign(data.size() + 2, 0);
  ScanResult r =
      k.fn(data.data(), data.size(), max_blocks, live, &carry, 0, idx.data(), esc.data());
  return {r, static_cast<size_t>(r.idx_end - idx.data()), carry};
}

TEST(CsvBlockScan, StopsBeforeTheFirstMalformedBlockAndCountsOnlyTheOnesBefore) {
  std::string data = ValidBlocks(3);
  std::string bad(kBlock, 'x');
  bad[10] = '"';  // a quote opening in the middle of a cell: the slow path's business
  data += bad + ValidBlocks(1);
  for (const Kernel& k : RunnableKernels()) {
    Scanned s = Scan(k, data, 5, ~uint64_t{0}, {0, 1, 0});
    EXPECT_TRUE(s.result.bad) << k.name;
    EXPECT_EQ(s.result.blocks, 3u) << k.name;
    // 3 delimiters per 16-byte row, 12 rows in the three good blocks.
    EXPECT_EQ(s.entries, 36u) << k.name;
  }
}

TEST(CsvBlockScan, ScansEveryBlockOfValidDataAndCarriesTheState) {
  std::string data = ValidBlocks(4);
  for (const Kernel& k : RunnableKernels()) {
    Scanned s = Scan(k, data, 4, ~uint64_t{0}, {0, 1, 0});
    EXPECT_FALSE(s.result.bad) << k.name;
    EXPECT_EQ(s.result.blocks, 4u) << k.name;
    EXPECT_EQ(s.entries, 48u) << k.name;
    EXPECT_EQ(s.carry.inside, 0u) << k.name;
    EXPECT_EQ(s.carry.after_boundary, 1u) << k.name;  // the last byte is a LF
  }
}

TEST(CsvBlockScan, AStartMidBlockLetsAQuoteOpenThere) {
  std::string data(kBlock, 'x');
  data.replace(20, 6, "\"a,b\",");
  data.back() = '\n';
  for (const Kernel& k : RunnableKernels()) {
    // The data starts at byte 20, which opens a quoted cell holding a comma.
    Scanned s = Scan(k, data, 1, ~uint64_t{0} << 20, {0, uint64_t{1} << 20, 0});
    EXPECT_FALSE(s.result.bad) << k.name;
    EXPECT_EQ(s.result.blocks, 1u) << k.name;
    EXPECT_EQ(s.entries, 2u) << k.name;  // the ',' after the quoted cell and the LF
    // Without the start bit the same quote opens mid-cell and the block is refused.
    Scanned refused = Scan(k, data, 1, ~uint64_t{0} << 20, {0, 0, 0});
    EXPECT_TRUE(refused.result.bad) << k.name;
    EXPECT_EQ(refused.result.blocks, 0u) << k.name;
  }
}

}  // namespace
}  // namespace vd::csv::internal
