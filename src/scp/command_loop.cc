#include "scp/command_loop.h"

#include <unistd.h>

#include <new>
#include <string>

#include "common/log.h"
#include "scp/chunk_writer.h"
#include "scp/metadata.h"

namespace vd::scp {
namespace {

constexpr int kExitOk = 0;
constexpr int kExitError = 1;

// Sends the fatal error reply (best effort) and returns the exit code.
int Fail(ChunkWriter* writer, const std::string& text, std::vector<Message> messages = {}) {
  Log(LogLevel::kError, text);
  ReplyMetadata reply;
  reply.messages = std::move(messages);
  reply.messages.push_back({MessageLevel::kError, text});
  reply.error = text;
  reply.finished = true;
  Status s = writer->Write(SerializeReplyMetadata(reply), {});
  if (!s.ok()) Log(LogLevel::kError, "could not send the error reply: " + s.message());
  return kExitError;
}

}  // namespace

int CommandLoop::Run(ByteSource* in, ByteSink* out, SearchCommand* command) {
  ChunkReader reader(in, limits_);
  ChunkWriter writer(out);
  Chunk chunk;
  RequestMetadata request;
  // One reply body buffer for the whole session: a chunk's reply is as large as its input
  // (tens of MB), and fresh memory for each would be page-faulted in again every time.
  std::string reply_body;
  bool have_getinfo = false;
  // Running out of memory anywhere in a request (reading it, the command's work, writing the
  // reply) is an error reply and exit 1, not an abort with no reply. A command that can say
  // more returns its own Status; this is the fallback.
  const char* doing = "reading a request";
  try {
    for (;;) {
      doing = "reading a request";
      Status s = reader.Next(&chunk);
      if (s.code() == Status::Code::kEndOfStream) {
        s = command->EndOfInput();
        return s.ok() ? kExitOk : Fail(&writer, s.message());
      }
      if (!s.ok()) return Fail(&writer, "chunked protocol error: " + s.message());
      s = ParseRequestMetadata(chunk.metadata, &request);
      if (!s.ok()) return Fail(&writer, "chunked protocol error: " + s.message());

      switch (request.action) {
        case Action::kGetInfo: {
          doing = "answering getinfo";
          if (have_getinfo)
            return Fail(&writer, "chunked protocol error: a second getinfo request");
          if (!chunk.body.empty()) {
            return Fail(&writer, "chunked protocol error: getinfo request with a body");
          }
          have_getinfo = true;
          GetInfoRequest info{std::move(request.searchinfo), request.preview,
                              request.streaming_command_will_restart};
          GetInfoReply reply;
          s = command->GetInfo(info, &reply);
          if (!s.ok()) return Fail(&writer, s.message(), std::move(reply.messages));
          ReplyMetadata meta;
          meta.type = reply.type;
          meta.generating = reply.generating;
          meta.required_fields = reply.required_fields;
          meta.streaming_preop = reply.streaming_preop;
          meta.messages = std::move(reply.messages);
          s = writer.Write(SerializeReplyMetadata(meta), {});
          break;
        }
        case Action::kExecute: {
          doing = "answering an execute request";
          if (!have_getinfo) {
            return Fail(&writer, "chunked protocol error: execute request before getinfo");
          }
          ExecuteRequest exec{request.finished, &chunk.body};
          ExecuteReply reply;
          reply.finished = request.finished;
          reply_body.clear();
          reply.body = std::move(reply_body);
          s = command->Execute(exec, &reply);
          if (!s.ok()) return Fail(&writer, s.message(), std::move(reply.messages));
          ReplyMetadata meta;
          meta.messages = std::move(reply.messages);
          meta.finished = reply.finished;
          if (reply.streamed) {
            s = writer.WriteStreamed(SerializeReplyMetadata(meta), reply.streamed.get());
          } else {
            s = writer.Write(SerializeReplyMetadata(meta), reply.body);
          }
          reply_body = std::move(reply.body);
          break;
        }
        case Action::kOther:
          return Fail(&writer, "chunked protocol error: unknown action \"" + request.action_name +
                                   "\" (expected getinfo or execute)");
      }
      if (!s.ok()) {
        // splunkd is gone (EPIPE) or stdout is broken: nobody is left to read a reply.
        Log(LogLevel::kError, "could not write a reply: " + s.message());
        return kExitError;
      }
    }
  } catch (const std::bad_alloc&) {
    reply_body = std::string();  // room for the reply
    chunk = Chunk();
    return Fail(&writer, std::string("out of memory while ") + doing +
                             " (the memory limit of search processes is too small for this "
                             "search: narrow it, or raise the limit)");
  }
}

int RunOnStdio(SearchCommand* command, ReaderLimits limits) {
  IgnoreSigpipe();
  // Raw read()/write() on fds 0 and 1: no stdio buffering and no text-mode translation.
  FdSource in(STDIN_FILENO);
  FdSink out(STDOUT_FILENO);
  CommandLoop loop(limits);
  return loop.Run(&in, &out, command);
}

}  // namespace vd::scp
