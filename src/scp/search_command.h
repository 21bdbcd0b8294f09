#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "scp/byte_io.h"
#include "scp/metadata.h"

namespace vd::scp {

struct GetInfoRequest {
  SearchInfo searchinfo;
  bool preview = false;
  bool streaming_command_will_restart = false;
};

// What the command declares about itself. Only the keys that are set go on the wire.
struct GetInfoReply {
  std::string type = "streaming";  // streaming | stateful | events | reporting
  std::optional<bool> generating;
  std::optional<std::vector<std::string>> required_fields;
  std::optional<std::string> streaming_preop;
  std::vector<Message> messages;
};

// One execute request. `body` is the chunk's CSV bytes (possibly empty or header-only); the
// command may parse it in place and modify it, but it is reused for the next chunk.
struct ExecuteRequest {
  bool finished = false;
  std::string* body = nullptr;
};

// A reply body written while it is sent, in pieces: a result of tens of MB is not built in
// one buffer first (fresh memory costs a page fault per 4 KiB). size() goes into the chunk
// header before the first byte, so it must be exact; WriteTo writes exactly that many bytes.
class StreamedBody {
 public:
  virtual ~StreamedBody() = default;
  virtual uint64_t size() const = 0;
  virtual Status WriteTo(ByteSink* sink) = 0;
};

// The reply to one execute request. `finished` starts as the request's value (echoed, as the
// protocol requires for every non-generating command). The body is `body`, or `streamed`
// when that is set (then `body` must stay empty).
struct ExecuteReply {
  bool finished = false;
  std::string body;
  std::unique_ptr<StreamedBody> streamed;
  std::vector<Message> messages;
};

// A search command as the CommandLoop drives it. A non-ok Status is fatal: the loop sends it as
// an ERROR reply (inspector message + error, finished:true) and the process exits 1. Its message
// is shown to the user as it is, so say what was wrong and what is accepted.
class SearchCommand {
 public:
  virtual ~SearchCommand() = default;
  virtual Status GetInfo(const GetInfoRequest& request, GetInfoReply* reply) = 0;
  virtual Status Execute(const ExecuteRequest& request, ExecuteReply* reply) = 0;
  // splunkd closed the input (a finished search, or a cancelled one). A command that answers a
  // request before it is done with it returns here what went wrong since its last answer; the
  // loop sends that as an ERROR reply and exits 1.
  virtual Status EndOfInput() { return Status::Ok(); }
};

}  // namespace vd::scp
