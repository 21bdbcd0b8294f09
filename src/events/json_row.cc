#include "events/json_row.h"

namespace vd::events {
namespace {
// Deeper structure is not flattened: no recognized field is that deep, and the limit
// keeps the recursion bounded on hostile input.
constexpr int kMaxDepth = 32;
}  // namespace

Status JsonRow::Parse(std::string_view line, size_t max_bytes) {
  names_.clear();
  values_.clear();
  index_.clear();
  node_field_.assign(1, kNoField);
  children_.clear();
  header_.clear();
  cells_.clear();
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
  if (line.size() > max_bytes) return Status::Limit("JSON record larger than the limit");
  if (!doc_.Parse(line)) return Status::Parse("not valid JSON");
  if (!doc_.root().IsObject()) return Status::Parse("JSON record is not an object");
  raw_.assign(line);
  std::string name;
  Flatten(doc_.root(), &name, 0, 0);
  if (index_.find("_raw") == index_.end()) {
    names_.emplace_back("_raw");
    values_.push_back(raw_);
  }
  header_.reserve(names_.size());
  cells_.reserve(values_.size());
  for (size_t i = 0; i < names_.size(); ++i) {
    header_.push_back(names_[i]);
    cells_.push_back(values_[i]);
  }
  return Status::Ok();
}

uint32_t JsonRow::Child(uint32_t parent, bool array, std::string_view member) {
  auto [it, added] =
      children_.try_emplace(ChildKey{parent, array, member}, static_cast<uint32_t>(0));
  if (added) {
    it->second = static_cast<uint32_t>(node_field_.size());
    node_field_.push_back(kNoField);
  }
  return it->second;
}

void JsonRow::Append(uint32_t node, const std::string& name, std::string_view value) {
  uint32_t field = node_field_[node];
  if (field == kNoField) {
    auto [it, added] = index_.try_emplace(name, names_.size());
    if (added) {
      names_.push_back(name);
      values_.emplace_back(value);
      node_field_[node] = static_cast<uint32_t>(it->second);
      return;
    }
    field = node_field_[node] = static_cast<uint32_t>(it->second);
  }
  std::string& cell = values_[field];
  cell.push_back('\n');
  cell.append(value);
}

void JsonRow::Flatten(const rapidjson::Value& v, std::string* name, uint32_t node, int depth) {
  if (depth > kMaxDepth) return;
  const size_t base = name->size();
  if (v.IsObject()) {
    for (auto it = v.MemberBegin(); it != v.MemberEnd(); ++it) {
      if (!name->empty()) name->push_back('.');
      const std::string_view member(it->name.GetString(), it->name.GetStringLength());
      name->append(member);
      Flatten(it->value, name, Child(node, false, member), depth + 1);
      name->resize(base);
    }
  } else if (v.IsArray()) {
    name->append("{}");
    const uint32_t elements = Child(node, true, {});
    for (const auto& e : v.GetArray()) {
      Flatten(e, name, elements, depth + 1);
      name->resize(base + 2);
    }
    name->resize(base);
  } else if (v.IsString()) {
    Append(node, *name, std::string_view(v.GetString(), v.GetStringLength()));
  } else if (v.IsBool()) {
    Append(node, *name, v.GetBool() ? "true" : "false");
  }
  // null: dropped, as Splunk's JSON extraction drops it.
}

}  // namespace vd::events
