#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "common/time.h"

namespace vd::scp {

// searchinfo of a getinfo request. Keys splunkd sends that are not listed here are ignored;
// fields absent from the request stay empty / nullopt.
struct SearchInfo {
  std::vector<std::string> args;      // tokenized, quotes removed: pattern=\w+
  std::vector<std::string> raw_args;  // as typed, quotes kept: pattern="\w+"
  std::string command;                // 8.x only
  std::string sid;
  std::string app;
  std::string owner;
  std::string username;
  std::string dispatch_dir;  // may be empty or temporary in getinfo probes
  std::string splunkd_uri;
  std::string session_key;
  std::string splunk_version;
  std::string search;  // percent-encoded, as sent
  std::optional<int64_t> maxresultrows;
  std::optional<TimeMs> earliest_time;  // "0" (unbounded) arrives as 0
  std::optional<TimeMs> latest_time;
};

enum class Action { kGetInfo, kExecute, kOther };

// The metadata of a splunkd -> command message.
struct RequestMetadata {
  Action action = Action::kOther;
  std::string action_name;  // as sent, for error messages
  bool finished = false;
  bool preview = false;
  bool streaming_command_will_restart = false;
  SearchInfo searchinfo;
};

// Parses request metadata: must be a JSON object with a string "action"; nesting deeper than
// kMaxJsonDepth is refused (the parser itself is iterative, so depth cannot overflow the stack).
// Lone UTF-16 surrogate escapes (Python's json writes them) are read as U+FFFD.
constexpr int kMaxJsonDepth = 64;
Status ParseRequestMetadata(std::string_view json, RequestMetadata* out);

enum class MessageLevel { kDebug, kInfo, kWarn, kError };
std::string_view MessageLevelName(MessageLevel level);

// One inspector message: splunkd shows WARN/ERROR in the UI, INFO lands in info.csv.
struct Message {
  MessageLevel level = MessageLevel::kInfo;
  std::string text;
};

// The metadata of a command -> splunkd reply. Optional keys are written only when set. Key order
// is fixed: type, generating, required_fields, streaming_preop, inspector, error, finished
// (inspector before error, as Splunk's own MLTK insists).
struct ReplyMetadata {
  std::optional<std::string> type;
  std::optional<bool> generating;
  std::optional<std::vector<std::string>> required_fields;
  std::optional<std::string> streaming_preop;
  std::vector<Message> messages;
  std::optional<std::string> error;
  std::optional<bool> finished;
};
std::string SerializeReplyMetadata(const ReplyMetadata& reply);

// What a command sent back, as the driver side reads it (the inverse of the above, plus
// anything else it finds). Lenient about unknown keys; strict about types of known ones.
struct ParsedReply {
  std::optional<std::string> type;
  std::optional<bool> generating;
  std::optional<std::string> streaming_preop;
  std::vector<std::string> required_fields;
  std::vector<Message> messages;
  std::optional<std::string> error;
  std::optional<bool> finished;
};
Status ParseReplyMetadata(std::string_view json, ParsedReply* out);

}  // namespace vd::scp
