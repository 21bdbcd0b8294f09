#include "scp/metadata.h"

#include <string.h>

#include <cmath>
#include <string>

// RapidJSON's member iterators compare ambiguously under clang's C++20 rewritten-operator rules.
#ifdef __clang__
#pragma clang diagnostic ignored "-Wambiguous-reversed-operator"
#endif
#include "rapidjson/document.h"
#include "rapidjson/error/en.h"
#include "rapidjson/memorystream.h"
#include "rapidjson/reader.h"
#include "rapidjson/stringbuffer.h"
#include "rapidjson/writer.h"

namespace vd::scp {
namespace {

using rapidjson::Document;
using rapidjson::SizeType;
using rapidjson::Value;

// Forwards SAX events to a Document while counting nesting, so a hostile depth is refused with
// a clear error instead of building a 100,000-level tree.
class DepthLimiter {
 public:
  explicit DepthLimiter(Document* doc) : doc_(doc) {}
  bool Null() { return doc_->Null(); }
  bool Bool(bool b) { return doc_->Bool(b); }
  bool Int(int i) { return doc_->Int(i); }
  bool Uint(unsigned u) { return doc_->Uint(u); }
  bool Int64(int64_t i) { return doc_->Int64(i); }
  bool Uint64(uint64_t u) { return doc_->Uint64(u); }
  bool Double(double d) { return doc_->Double(d); }
  bool RawNumber(const char* s, SizeType n, bool copy) { return doc_->RawNumber(s, n, copy); }
  bool String(const char* s, SizeType n, bool copy) { return doc_->String(s, n, copy); }
  bool Key(const char* s, SizeType n, bool copy) { return doc_->Key(s, n, copy); }
  bool StartObject() { return Enter() && doc_->StartObject(); }
  bool EndObject(SizeType n) {
    --depth_;
    return doc_->EndObject(n);
  }
  bool StartArray() { return Enter() && doc_->StartArray(); }
  bool EndArray(SizeType n) {
    --depth_;
    return doc_->EndArray(n);
  }
  bool too_deep() const { return too_deep_; }

 private:
  bool Enter() {
    if (++depth_ > kMaxJsonDepth) {
      too_deep_ = true;
      return false;
    }
    return true;
  }
  Document* doc_;
  int depth_ = 0;
  bool too_deep_ = false;
};

constexpr unsigned kParseFlags = rapidjson::kParseIterativeFlag;

Status ParseOnce(std::string_view json, Document* doc, bool* surrogate_error) {
  *surrogate_error = false;
  bool too_deep = false;
  rapidjson::ParseResult result;
  auto generator = [&](Document& d) {
    DepthLimiter limiter(&d);
    rapidjson::MemoryStream ms(json.data(), json.size());
    rapidjson::Reader reader;
    result = reader.Parse<kParseFlags>(ms, limiter);
    too_deep = limiter.too_deep();
    return !result.IsError();
  };
  doc->Populate(generator);
  if (too_deep) {
    return Status::Parse("metadata JSON is nested deeper than " + std::to_string(kMaxJsonDepth) +
                         " levels");
  }
  if (result.IsError()) {
    *surrogate_error = result.Code() == rapidjson::kParseErrorStringUnicodeSurrogateInvalid;
    return Status::Parse(std::string("metadata is not valid JSON: ") +
                         rapidjson::GetParseError_En(result.Code()) + " at byte " +
                         std::to_string(result.Offset()));
  }
  return Status::Ok();
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Returns the code unit of "\uXXXX" at s[i] or -1.
int EscapedUnit(std::string_view s, size_t i) {
  if (i + 6 > s.size() || s[i] != '\\' || s[i + 1] != 'u') return -1;
  int v = 0;
  for (size_t k = i + 2; k < i + 6; ++k) {
    int h = HexValue(s[k]);
    if (h < 0) return -1;
    v = v * 16 + h;
  }
  return v;
}

// Python's json module writes unpaired surrogates as \udXXX escapes. Replace every unpaired
// one with \ufffd (same length).
std::string ReplaceLoneSurrogates(std::string_view json) {
  std::string out(json);
  for (size_t i = 0; i + 1 < out.size(); ++i) {
    if (out[i] != '\\') continue;
    int unit = EscapedUnit(out, i);
    if (unit < 0) {
      ++i;  // some other escape: skip the escaped character
      continue;
    }
    if (unit >= 0xD800 && unit <= 0xDBFF) {
      int next = EscapedUnit(out, i + 6);
      if (next >= 0xDC00 && next <= 0xDFFF) {
        i += 11;  // a valid pair
        continue;
      }
    }
    if (unit >= 0xD800 && unit <= 0xDFFF) out.replace(i, 6, "\\ufffd");
    i += 5;
  }
  return out;
}

Status ParseObject(std::string_view json, Document* doc) {
  if (memchr(json.data(), '\0', json.size()) != nullptr) {
    return Status::Parse("metadata contains a NUL byte");
  }
  bool surrogate_error = false;
  // RapidJSON refuses a lone high surrogate but encodes a lone low one (\udc00) as the bytes
  // of the surrogate itself, which is not UTF-8 and would reach replies that echo it. So
  // every unpaired escape is replaced before parsing, not only after a refusal.
  std::string fixed;
  if (json.find("\\u") != std::string_view::npos) {
    fixed = ReplaceLoneSurrogates(json);
    json = fixed;
  }
  Status s = ParseOnce(json, doc, &surrogate_error);
  if (!s.ok()) return s;
  if (!doc->IsObject()) return Status::Parse("metadata is not a JSON object");
  return Status::Ok();
}

std::string ToString(const Value& v) { return std::string(v.GetString(), v.GetStringLength()); }

void GetString(const Value& obj, const char* key, std::string* out) {
  auto it = obj.FindMember(key);
  if (it != obj.MemberEnd() && it->value.IsString()) *out = ToString(it->value);
}

Status GetBool(const Value& obj, const char* key, bool* out) {
  auto it = obj.FindMember(key);
  if (it == obj.MemberEnd() || it->value.IsNull()) return Status::Ok();
  if (!it->value.IsBool())
    return Status::Parse(std::string("metadata \"") + key + "\" is not a boolean");
  *out = it->value.GetBool();
  return Status::Ok();
}

Status GetStringArray(const Value& obj, const char* key, std::vector<std::string>* out) {
  out->clear();
  auto it = obj.FindMember(key);
  if (it == obj.MemberEnd() || it->value.IsNull()) return Status::Ok();
  if (!it->value.IsArray()) return Status::Parse(std::string("\"") + key + "\" is not an array");
  for (const Value& e : it->value.GetArray()) {
    if (!e.IsString()) return Status::Parse(std::string("\"") + key + "\" holds a non-string");
    out->push_back(ToString(e));
  }
  return Status::Ok();
}

// earliest_time / latest_time: splunkd sends strings of epoch seconds; other writers numbers.
std::optional<TimeMs> GetTime(const Value& obj, const char* key) {
  auto it = obj.FindMember(key);
  if (it == obj.MemberEnd()) return std::nullopt;
  if (it->value.IsString()) {
    TimeMs t = 0;
    if (TryParseTime(std::string_view(it->value.GetString(), it->value.GetStringLength()), &t))
      return t;
    return std::nullopt;
  }
  if (it->value.IsNumber()) {
    double d = it->value.GetDouble();
    if (std::isfinite(d) && std::fabs(d) < 1e14)
      return static_cast<TimeMs>(std::llround(d * 1000.0));
  }
  return std::nullopt;
}

}  // namespace

Status ParseRequestMetadata(std::string_view json, RequestMetadata* out) {
  *out = RequestMetadata();
  Document doc;
  if (Status s = ParseObject(json, &doc); !s.ok()) return s;
  auto action = doc.FindMember("action");
  if (action == doc.MemberEnd() || !action->value.IsString()) {
    return Status::Protocol("metadata has no \"action\" string");
  }
  out->action_name = ToString(action->value);
  out->action = out->action_name == "getinfo"   ? Action::kGetInfo
                : out->action_name == "execute" ? Action::kExecute
                                                : Action::kOther;
  if (Status s = GetBool(doc, "finished", &out->finished); !s.ok()) return s;
  if (Status s = GetBool(doc, "preview", &out->preview); !s.ok()) return s;
  if (Status s =
          GetBool(doc, "streaming_command_will_restart", &out->streaming_command_will_restart);
      !s.ok()) {
    return s;
  }
  auto si = doc.FindMember("searchinfo");
  if (si == doc.MemberEnd() || si->value.IsNull()) return Status::Ok();
  if (!si->value.IsObject()) return Status::Parse("metadata \"searchinfo\" is not an object");
  const Value& v = si->value;
  SearchInfo& info = out->searchinfo;
  if (Status s = GetStringArray(v, "args", &info.args); !s.ok())
    return Status::Parse("searchinfo " + s.message());
  if (Status s = GetStringArray(v, "raw_args", &info.raw_args); !s.ok())
    return Status::Parse("searchinfo " + s.message());
  GetString(v, "command", &info.command);
  GetString(v, "sid", &info.sid);
  GetString(v, "app", &info.app);
  GetString(v, "owner", &info.owner);
  GetString(v, "username", &info.username);
  GetString(v, "dispatch_dir", &info.dispatch_dir);
  GetString(v, "splunkd_uri", &info.splunkd_uri);
  GetString(v, "session_key", &info.session_key);
  GetString(v, "splunk_version", &info.splunk_version);
  GetString(v, "search", &info.search);
  auto rows = v.FindMember("maxresultrows");
  if (rows != v.MemberEnd()) {
    if (rows->value.IsInt64()) {
      info.maxresultrows = rows->value.GetInt64();
    } else if (rows->value.IsString()) {
      std::string text = ToString(rows->value);
      char* end = nullptr;
      long long n = strtoll(text.c_str(), &end, 10);
      if (!text.empty() && end && *end == '\0') info.maxresultrows = n;
    }
  }
  info.earliest_time = GetTime(v, "earliest_time");
  info.latest_time = GetTime(v, "latest_time");
  return Status::Ok();
}

std::string_view MessageLevelName(MessageLevel level) {
  switch (level) {
    case MessageLevel::kDebug:
      return "DEBUG";
    case MessageLevel::kInfo:
      return "INFO";
    case MessageLevel::kWarn:
      return "WARN";
    case MessageLevel::kError:
      return "ERROR";
  }
  return "INFO";
}

std::string SerializeReplyMetadata(const ReplyMetadata& reply) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  auto str = [&](std::string_view s) { w.String(s.data(), static_cast<SizeType>(s.size())); };
  w.StartObject();
  if (reply.type) {
    w.Key("type");
    str(*reply.type);
  }
  if (reply.generating) {
    w.Key("generating");
    w.Bool(*reply.generating);
  }
  if (reply.required_fields) {
    w.Key("required_fields");
    w.StartArray();
    for (const auto& f : *reply.required_fields) str(f);
    w.EndArray();
  }
  if (reply.streaming_preop) {
    w.Key("streaming_preop");
    str(*reply.streaming_preop);
  }
  if (!reply.messages.empty()) {
    w.Key("inspector");
    w.StartObject();
    w.Key("messages");
    w.StartArray();
    for (const auto& m : reply.messages) {
      w.StartArray();
      str(MessageLevelName(m.level));
      str(m.text);
      w.EndArray();
    }
    w.EndArray();
    w.EndObject();
  }
  if (reply.error) {
    w.Key("error");
    str(*reply.error);
  }
  if (reply.finished) {
    w.Key("finished");
    w.Bool(*reply.finished);
  }
  w.EndObject();
  return std::string(buf.GetString(), buf.GetSize());
}

Status ParseReplyMetadata(std::string_view json, ParsedReply* out) {
  *out = ParsedReply();
  Document doc;
  if (Status s = ParseObject(json, &doc); !s.ok()) return s;
  auto opt_string = [&](const char* key, std::optional<std::string>* dst) -> Status {
    auto it = doc.FindMember(key);
    if (it == doc.MemberEnd()) return Status::Ok();
    if (!it->value.IsString())
      return Status::Protocol(std::string("reply \"") + key + "\" is not a string");
    *dst = ToString(it->value);
    return Status::Ok();
  };
  auto opt_bool = [&](const char* key, std::optional<bool>* dst) -> Status {
    auto it = doc.FindMember(key);
    if (it == doc.MemberEnd()) return Status::Ok();
    if (!it->value.IsBool())
      return Status::Protocol(std::string("reply \"") + key + "\" is not a boolean");
    *dst = it->value.GetBool();
    return Status::Ok();
  };
  if (Status s = opt_string("type", &out->type); !s.ok()) return s;
  if (Status s = opt_string("streaming_preop", &out->streaming_preop); !s.ok()) return s;
  if (Status s = opt_string("error", &out->error); !s.ok()) return s;
  if (Status s = opt_bool("generating", &out->generating); !s.ok()) return s;
  if (Status s = opt_bool("finished", &out->finished); !s.ok()) return s;
  if (Status s = GetStringArray(doc, "required_fields", &out->required_fields); !s.ok()) {
    return Status::Protocol("reply " + s.message());
  }
  auto insp = doc.FindMember("inspector");
  if (insp != doc.MemberEnd()) {
    if (!insp->value.IsObject()) return Status::Protocol("reply \"inspector\" is not an object");
    auto msgs = insp->value.FindMember("messages");
    if (msgs != insp->value.MemberEnd()) {
      if (!msgs->value.IsArray()) return Status::Protocol("inspector.messages is not an array");
      for (const Value& m : msgs->value.GetArray()) {
        if (!m.IsArray() || m.Size() != 2 || !m[0].IsString() || !m[1].IsString()) {
          return Status::Protocol("inspector message is not [LEVEL, TEXT]");
        }
        std::string level = ToString(m[0]);
        Message msg;
        msg.text = ToString(m[1]);
        msg.level = level == "ERROR" || level == "FATAL"    ? MessageLevel::kError
                    : level == "WARN" || level == "WARNING" ? MessageLevel::kWarn
                    : level == "DEBUG"                      ? MessageLevel::kDebug
                                                            : MessageLevel::kInfo;
        out->messages.push_back(std::move(msg));
      }
    }
  }
  return Status::Ok();
}

}  // namespace vd::scp
