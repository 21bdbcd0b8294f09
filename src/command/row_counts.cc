#include "command/row_counts.h"

namespace vd::command {

void RowCounts::Count(const events::RecognizeResult& r) {
  switch (r.verdict) {
    case events::Verdict::kRecognized:
      ++recognized;
      break;
    case events::Verdict::kIrrelevant:
      ++irrelevant;
      break;
    case events::Verdict::kSkipped:
      ++skipped[static_cast<size_t>(r.reason)];
      break;
  }
}

uint64_t RowCounts::skipped_total() const {
  uint64_t n = 0;
  for (uint64_t s : skipped) n += s;
  return n + misshapen;
}

std::string RowCounts::Describe() const {
  std::string s = "rows read " + std::to_string(read) + ", recognized " +
                  std::to_string(recognized) + ", irrelevant " + std::to_string(irrelevant);
  if (duplicates > 0) s += ", exact duplicates dropped " + std::to_string(duplicates);
  s += ", skipped " + std::to_string(skipped_total());
  if (skipped_total() > 0) {
    s += " (";
    bool first = true;
    for (size_t i = 0; i < skipped.size(); ++i) {
      if (skipped[i] == 0) continue;
      if (!first) s += ", ";
      first = false;
      s += events::ReasonName(static_cast<events::SkipReason>(i));
      s += ' ';
      s += std::to_string(skipped[i]);
    }
    if (misshapen > 0) {
      if (!first) s += ", ";
      s += "cell count unlike the header's " + std::to_string(misshapen);
    }
    s += ')';
  }
  return s;
}

}  // namespace vd::command
