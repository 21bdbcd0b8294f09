#include "events/entra_targets.h"

#include "events/activity.h"
#include "events/json_doc.h"
#include "events/text_util.h"

namespace vd::events {
namespace {

std::string_view TypeOf(const rapidjson::Value& entry) {
  std::string_view t = JsonText(JsonMember(&entry, "type"));
  if (t.empty()) t = JsonText(JsonMember(&entry, "Type"));
  return t;
}

}  // namespace

std::string_view UserTargetFromJson(const rapidjson::Value* resources) {
  if (resources == nullptr || !resources->IsArray()) return {};
  for (const auto& entry : resources->GetArray()) {
    if (EqualsIgnoreCase(Trim(TypeOf(entry)), "User")) {
      return Clean(JsonText(JsonMember(&entry, "userPrincipalName")));
    }
  }
  return {};
}

bool StrongAuthFromJson(const rapidjson::Value* resources, std::string_view* old_value,
                        std::string_view* new_value) {
  if (resources == nullptr || !resources->IsArray()) return false;
  for (const auto& entry : resources->GetArray()) {
    const rapidjson::Value* props = JsonMember(&entry, "modifiedProperties");
    if (props == nullptr || !props->IsArray()) continue;
    for (const auto& p : props->GetArray()) {
      if (JsonText(JsonMember(&p, "displayName")) == kStrongAuthMethod) {
        *old_value = JsonText(JsonMember(&p, "oldValue"));
        *new_value = JsonText(JsonMember(&p, "newValue"));
        return true;
      }
    }
  }
  return false;
}

bool UserTargetFromMv(const MvSplitter& upns, const MvSplitter& types, bool types_present,
                      std::string_view* target) {
  *target = {};
  if (!types_present || types.size() == 0) {
    if (upns.size() == 0) return !types_present;  // nothing to misalign
    *target = Clean(upns[0]);
    return true;
  }
  if (types.size() != upns.size()) return false;
  for (size_t i = 0; i < types.size(); ++i) {
    if (EqualsIgnoreCase(Trim(types[i]), "User")) {
      *target = Clean(upns[i]);
      return true;
    }
  }
  return true;  // aligned, and no User entry
}

}  // namespace vd::events
