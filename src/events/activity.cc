#include "events/activity.h"

#include <array>

#include "events/text_util.h"

namespace vd::events {
namespace {

constexpr std::string_view kStrongAuthRemoved = "StrongAuthenticationMethod removed";

constexpr std::array<std::string_view, 3> kEntraResets = {
    "Reset user password", "Reset password (by admin)", "Change user password"};

constexpr std::array<std::string_view, 6> kEntraMfa = {
    "User registered security info", "User updated security info",
    "User deleted security info",    "User changed default security info",
    "Admin updated security info",   "User registered all required security info",
};
// An admin registering a method for the user (the second: the KQL seed's spelling).
constexpr std::array<std::string_view, 2> kEntraAdminRegistered = {
    "Admin registered security info", "Admin registered security info for a user"};
constexpr std::array<std::string_view, 3> kEntraMfaReset = {
    "Admin deleted security info",
    "Admin deleted security info for a user",  // the KQL seed's spelling
    // Core Directory turning per-user MFA off: the O365 list has it with a period; the
    // Event Hub feed logs the same activity without (ESCU sample).
    "Disable Strong Authentication",
};
constexpr std::array<std::string_view, 1> kEntraTap = {
    "Create Temporary Access Pass method for user"};

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
  if (In(stem, kEntraAdminRegistered)) return ActivityClass::kAdminRegistered;
  if (In(stem, kEntraMfa)) return ActivityClass::kMfa;
  if (In(stem, kEntraMfaReset)) return ActivityClass::kMfaReset;
  if (In(stem, kEntraTap)) return ActivityClass::kTap;
  if (EqualsIgnoreCase(stem, "Update user")) return ActivityClass::kMfaIfStrongAuth;
  if (EqualsIgnoreCase(stem, "Add user")) return ActivityClass::kCreated;
  return ActivityClass::kIrrelevant;
}

ActivityClass ClassifyO365Operation(std::string_view operation) {
  std::string_view stem = OperationStem(operation);
  if (In(stem, kO365Resets)) return ActivityClass::kReset;
  if (EqualsIgnoreCase(stem, "Disable Strong Authentication")) return ActivityClass::kMfaReset;
  if (EqualsIgnoreCase(stem, "Update user")) return ActivityClass::kMfaIfStrongAuth;
  if (EqualsIgnoreCase(stem, "Add user")) return ActivityClass::kCreated;
  if (EqualsIgnoreCase(stem, "UserLoggedIn")) return ActivityClass::kSignin;
  if (EqualsIgnoreCase(stem, "UserLoginFailed")) return ActivityClass::kSigninFailed;
  return ActivityClass::kIrrelevant;
}

Kind MfaSideKind(ActivityClass cls, std::string_view detail, bool by_user) {
  switch (cls) {
    case ActivityClass::kMfaReset:
      return Kind::kMfaReset;
    case ActivityClass::kTap:
      return Kind::kTap;
    case ActivityClass::kAdminRegistered:
      return ContainsIgnoreCase(detail, "temporary access pass") ? Kind::kTap : Kind::kMfa;
    case ActivityClass::kCreated:
      return Kind::kCreated;
    default:
      return detail == kStrongAuthRemoved && by_user ? Kind::kMfaReset : Kind::kMfa;
  }
}

std::string_view StrongAuthDetail(std::string_view old_value, std::string_view new_value,
                                  bool values_known) {
  if (!values_known) return "StrongAuthenticationMethod";
  size_t before = CountOccurrences(old_value, "MethodType");
  size_t after = CountOccurrences(new_value, "MethodType");
  if (after > before) return "StrongAuthenticationMethod registered";
  if (after < before) return kStrongAuthRemoved;
  return "StrongAuthenticationMethod changed";
}

}  // namespace vd::events
