#include "events/json_doc.h"

namespace vd::events {
namespace {
constexpr unsigned kParseFlags =
    rapidjson::kParseIterativeFlag | rapidjson::kParseNumbersAsStringsFlag;
const rapidjson::Value kNullValue;
}  // namespace

JsonDoc::JsonDoc()
    : arena_(new char[kArenaBytes]),
      allocator_(std::make_unique<Allocator>(arena_.get(), kArenaBytes)),
      doc_(std::make_unique<Document>(allocator_.get())),
      root_(&kNullValue) {}

JsonDoc::~JsonDoc() = default;

bool JsonDoc::Parse(std::string_view text) {
  // The old DOM's memory is dropped wholesale; the pool allocator never frees values
  // one by one, so resetting the arena first is safe.
  doc_->SetNull();
  allocator_->Clear();
  root_ = &kNullValue;
  doc_->Parse<kParseFlags>(text.data(), text.size());
  if (doc_->HasParseError()) {
    doc_->SetNull();
    return false;
  }
  root_ = doc_.get();
  return true;
}

const rapidjson::Value* JsonMember(const rapidjson::Value* v, std::string_view name) {
  if (v == nullptr || !v->IsObject()) return nullptr;
  for (auto it = v->MemberBegin(); it != v->MemberEnd(); ++it) {
    if (std::string_view(it->name.GetString(), it->name.GetStringLength()) == name) {
      return &it->value;
    }
  }
  return nullptr;
}

const rapidjson::Value* JsonPath(const rapidjson::Value* v,
                                 std::initializer_list<std::string_view> path) {
  for (std::string_view step : path) {
    v = JsonMember(v, step);
    if (v == nullptr) return nullptr;
  }
  return v;
}

std::string_view JsonText(const rapidjson::Value* v) {
  if (v == nullptr) return {};
  if (v->IsString()) return {v->GetString(), v->GetStringLength()};
  if (v->IsBool()) return v->GetBool() ? "true" : "false";
  return {};
}

}  // namespace vd::events
