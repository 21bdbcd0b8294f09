#pragma once

#include <string_view>

namespace vd::events {

// What an operation / activity name means for the detections (DESIGN.md §3.1).
enum class ActivityClass {
  kIrrelevant,
  kReset,            // an admin-style password reset
  kMfa,              // an MFA method registration / change / removal
  kMfaIfStrongAuth,  // "Update user": MFA only when StrongAuthenticationMethod changed
  kSignin,           // O365 UserLoggedIn
  kSigninFailed,     // O365 UserLoginFailed
};

// Entra audit activityDisplayName / OperationName (Graph, Event Hub, Sentinel shapes).
// Matching ignores ASCII case, surrounding blanks and a trailing period.
ActivityClass ClassifyEntraActivity(std::string_view activity);

// O365 management activity Operation ("Reset user password." etc., period optional).
ActivityClass ClassifyO365Operation(std::string_view operation);

// The modified-property name that makes "Update user" an MFA change.
inline constexpr std::string_view kStrongAuthMethod = "StrongAuthenticationMethod";

// Detail for a StrongAuthenticationMethod change from the method lists before and after
// (JSON text: each method is one {"MethodType":n,...}): more methods = "registered",
// fewer = "removed", as many = "changed"; unknown lists = just the property name.
std::string_view StrongAuthDetail(std::string_view old_value, std::string_view new_value,
                                  bool values_known);

}  // namespace vd::events
