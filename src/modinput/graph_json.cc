#include "modinput/graph_json.h"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "modinput/json_depth.h"

namespace vd::modinput {
namespace {

using rapidjson::Value;

// Full precision so numbers (coordinates, error codes) survive the round trip unchanged;
// iterative so a deeply nested body cannot exhaust the stack while it is parsed.
constexpr unsigned kParseFlags =
    rapidjson::kParseFullPrecisionFlag | rapidjson::kParseIterativeFlag;

std::string_view StringMember(const Value& obj, const char* name) {
  if (!obj.IsObject()) return {};
  auto it = obj.FindMember(name);
  if (it == obj.MemberEnd() || !it->value.IsString()) return {};
  return {it->value.GetString(), it->value.GetStringLength()};
}

// Printable ASCII only, bounded: error bodies may be HTML from a proxy, or anything.
std::string Excerpt(std::string_view body, size_t max = 200) {
  std::string out;
  for (char c : body.substr(0, max)) {
    out.push_back(c >= 0x20 && c < 0x7F ? c : ' ');
  }
  if (body.size() > max) out += "...";
  return out;
}

}  // namespace

Result<GraphPage> ParseGraphPage(std::string_view body, std::string_view time_field) {
  if (JsonNestingDepth(body, kMaxGraphJsonDepth) > kMaxGraphJsonDepth) {
    return Status::Parse("Graph response nested deeper than " + std::to_string(kMaxGraphJsonDepth) +
                         " levels");
  }
  rapidjson::Document doc;
  doc.Parse<kParseFlags>(body.data(), body.size());
  if (doc.HasParseError()) {
    return Status::Parse("malformed JSON in Graph response at byte " +
                         std::to_string(doc.GetErrorOffset()) + " of " +
                         std::to_string(body.size()));
  }
  if (!doc.IsObject()) return Status::Parse("Graph response is not a JSON object");
  auto value = doc.FindMember("value");
  if (value == doc.MemberEnd() || !value->value.IsArray()) {
    return Status::Parse("Graph response has no \"value\" array");
  }
  GraphPage page;
  auto next = doc.FindMember("@odata.nextLink");
  if (next != doc.MemberEnd()) {
    if (!next->value.IsString()) return Status::Parse("@odata.nextLink is not a string");
    page.next_link.assign(next->value.GetString(), next->value.GetStringLength());
  }
  std::string field(time_field);
  page.records.reserve(value->value.Size());
  for (const Value& item : value->value.GetArray()) {
    if (!item.IsObject()) return Status::Parse("Graph \"value\" holds a non-object");
    GraphRecord rec;
    rec.id = std::string(StringMember(item, "id"));
    rec.activity = std::string(StringMember(item, "activityDisplayName"));
    std::string_view t = StringMember(item, field.c_str());
    rec.has_time = !t.empty() && TryParseTime(t, &rec.time);
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
    item.Accept(writer);
    rec.json.assign(buffer.GetString(), buffer.GetSize());
    page.records.push_back(std::move(rec));
  }
  return page;
}

std::string DescribeGraphError(int status, std::string_view body) {
  std::string out = "HTTP " + std::to_string(status);
  rapidjson::Document doc;
  doc.Parse<kParseFlags>(body.data(), body.size());
  if (!doc.HasParseError() && doc.IsObject()) {
    auto err = doc.FindMember("error");
    if (err != doc.MemberEnd() && err->value.IsObject()) {
      std::string_view code = StringMember(err->value, "code");
      std::string_view message = StringMember(err->value, "message");
      if (!code.empty()) out += " " + Excerpt(code, 80);
      if (!message.empty()) out += ": " + Excerpt(message, 500);
      auto inner = err->value.FindMember("innerError");
      if (inner != err->value.MemberEnd()) {
        std::string_view rid = StringMember(inner->value, "request-id");
        if (!rid.empty()) out += " (request-id " + Excerpt(rid, 80) + ")";
      }
      return out;
    }
  }
  if (!body.empty()) out += ": " + Excerpt(body);
  return out;
}

std::string DescribeTokenError(int status, std::string_view body) {
  std::string out = "HTTP " + std::to_string(status);
  rapidjson::Document doc;
  doc.Parse<kParseFlags>(body.data(), body.size());
  if (doc.HasParseError() || !doc.IsObject()) {
    if (!body.empty()) out += ": " + Excerpt(body);
    return out;
  }
  std::string_view error = StringMember(doc, "error");
  std::string_view description = StringMember(doc, "error_description");
  if (size_t cut = description.find_first_of("\r\n"); cut != std::string_view::npos) {
    description = description.substr(0, cut);
  }
  if (!error.empty()) out += " " + Excerpt(error, 80);
  if (!description.empty()) out += ": " + Excerpt(description, 500);
  std::string_view trace = StringMember(doc, "trace_id");
  std::string_view correlation = StringMember(doc, "correlation_id");
  if (!trace.empty() || !correlation.empty()) {
    out +=
        " (trace_id " + Excerpt(trace, 80) + ", correlation_id " + Excerpt(correlation, 80) + ")";
  }
  return out;
}

Result<TokenResponse> ParseTokenResponse(std::string_view body) {
  rapidjson::Document doc;
  doc.Parse<kParseFlags>(body.data(), body.size());
  if (doc.HasParseError() || !doc.IsObject()) return Status::Parse("token response is not JSON");
  TokenResponse token;
  token.access_token = std::string(StringMember(doc, "access_token"));
  if (token.access_token.empty()) return Status::Parse("token response has no access_token");
  auto exp = doc.FindMember("expires_in");
  // expires_in is a number in v2 responses, a string in some v1-era ones.
  if (exp != doc.MemberEnd() && exp->value.IsInt64()) {
    token.expires_in_s = exp->value.GetInt64();
  } else if (exp != doc.MemberEnd() && exp->value.IsString()) {
    token.expires_in_s = std::strtoll(exp->value.GetString(), nullptr, 10);
  }
  if (token.expires_in_s <= 0) token.expires_in_s = 300;  // unknown: assume short-lived
  return token;
}

Result<std::string> ParseStoragePassword(std::string_view body) {
  rapidjson::Document doc;
  doc.Parse<kParseFlags>(body.data(), body.size());
  if (doc.HasParseError() || !doc.IsObject()) {
    return Status::Parse("storage/passwords answer is not JSON");
  }
  auto entry = doc.FindMember("entry");
  if (entry == doc.MemberEnd() || !entry->value.IsArray() || entry->value.Empty()) {
    return Status::NotFound("storage/passwords answer has no entry");
  }
  if (!entry->value[0].IsObject()) return Status::Parse("storage/passwords entry is not an object");
  auto content = entry->value[0].FindMember("content");
  if (content == entry->value[0].MemberEnd()) {
    return Status::Parse("storage/passwords entry has no content");
  }
  std::string_view secret = StringMember(content->value, "clear_password");
  if (secret.empty()) return Status::NotFound("storage/passwords entry has no clear_password");
  return std::string(secret);
}

}  // namespace vd::modinput
