#pragma once

#include <cstdint>
#include <string_view>

namespace vd::events {

// What became of one input row.
enum class Verdict : uint8_t {
  kRecognized,  // a reset, MFA change or sign-in: *out is filled
  kIrrelevant,  // readable, but not an event the detections use (4723, 4738, "Add user", ...)
  kSkipped,     // looked like a relevant event but could not be read: see SkipReason
};

// Why a row was skipped; counted by the command for its INFO summary.
enum class SkipReason : uint8_t {
  kNone,
  kMissingTime,       // no _time and no source time field
  kBadTime,           // a time that is neither epoch seconds nor ISO-8601
  kMissingTarget,     // no target account (or none of type User)
  kMissingInitiator,  // an admin reset with no initiating user or app
  kInvalidUtf8,       // a key field is not valid UTF-8
  kMalformedRaw,      // _raw was needed but is not parseable JSON / Windows XML
  kOversized,         // a key field or a _raw that had to be parsed exceeds the size limits
  kBadValue,          // a vc_* enumeration (vc_kind, vc_source, vc_result) out of range
};
inline constexpr int kSkipReasonCount = 9;

std::string_view ReasonName(SkipReason reason);

struct RecognizeResult {
  Verdict verdict = Verdict::kIrrelevant;
  SkipReason reason = SkipReason::kNone;

  static RecognizeResult Recognized() { return {Verdict::kRecognized, SkipReason::kNone}; }
  static RecognizeResult Irrelevant() { return {Verdict::kIrrelevant, SkipReason::kNone}; }
  static RecognizeResult Skipped(SkipReason r) { return {Verdict::kSkipped, r}; }
  bool recognized() const { return verdict == Verdict::kRecognized; }
};

// Limits that keep a hostile row from costing unbounded time or memory.
inline constexpr size_t kMaxKeyFieldBytes = 4096;       // one identity, IP, operation, id
inline constexpr size_t kMaxParsedRawBytes = 1u << 20;  // a _raw we parse (JSON / XML)

}  // namespace vd::events
