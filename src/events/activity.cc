#include "events/activity.h"

#include <array>

#include "events/text_util.h"

namespace vd::events {
namespace {

constexpr std::array<std::string_view, 3> kEntraResets = {
    "Reset user password", "Reset password (by admin)", "Change user password"};

constexpr std::array<std::string_view, 12> kEntraMfa = {
    "User registered security info",
    "User updated security info",
    "User deleted security info",
    "User changed default security info",
    "Admin registered security info",
    "Admin updated security info",
    "Admin deleted security info",
    "User registered all required security info",
    "Create Temporary Access Pass method for user",
    // The KQL seed's spellings.
    "Admin registered security info for a user",
    "Admin deleted security info for a user",
    // Core Directory turning per-user MFA off: the O365 list has it with a period; the
    // Event Hub feed logs the same activity without (ESCU sample).
    "Disable Strong Authentication",
};

constexpr std::array<std::string_view, 3> kO365Resets = {
    "Reset user password", "Change user password", "Set force change user password"};

template <size_t N>
bool In(std::string_view stem, const std::array<std::string_view, N>& list) {
  for (std::string_view s : list) {
    if (EqualsIgnoreCase(stem, s)) return true;
  }
  return false;
}

}  // namespace

ActivityClass ClassifyEntraActivity(std::string_view activity) {
  std::string_view stem = OperationStem(activity);
  if (In(stem, kEntraResets)) return ActivityClass::kReset;
  if (In(stem, kEntraMfa)) return ActivityClass::kMfa;
  if (EqualsIgnoreCase(stem, "Update user")) return ActivityClass::kMfaIfStrongAuth;
  return ActivityClass::kIrrelevant;
}

ActivityClass ClassifyO365Operation(std::string_view operation) {
  std::string_view stem = OperationStem(operation);
  if (In(stem, kO365Resets)) return ActivityClass::kReset;
  if (EqualsIgnoreCase(stem, "Disable Strong Authentication")) return ActivityClass::kMfa;
  if (EqualsIgnoreCase(stem, "Update user")) return ActivityClass::kMfaIfStrongAuth;
  if (EqualsIgnoreCase(stem, "UserLoggedIn")) return ActivityClass::kSignin;
  if (EqualsIgnoreCase(stem, "UserLoginFailed")) return ActivityClass::kSigninFailed;
  return ActivityClass::kIrrelevant;
}

std::string_view StrongAuthDetail(std::string_view old_value, std::string_view new_value,
                                  bool values_known) {
  if (!values_known) return "StrongAuthenticationMethod";
  size_t before = CountOccurrences(old_value, "MethodType");
  size_t after = CountOccurrences(new_value, "MethodType");
  if (after > before) return "StrongAuthenticationMethod registered";
  if (after < before) return "StrongAuthenticationMethod removed";
  return "StrongAuthenticationMethod changed";
}

}  // namespace vd::events
