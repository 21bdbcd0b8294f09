#pragma once

#include <string_view>

#include "events/identity_event.h"

namespace vd::events {

// What an operation / activity name means for the detections (DESIGN.md §3.1).
enum class ActivityClass {
  kIrrelevant,
  kReset,            // an admin-style password reset
  kMfa,              // an MFA method registration / change / removal
  kMfaIfStrongAuth,  // "Update user": MFA only when StrongAuthenticationMethod changed
  kMfaReset,         // an admin deleting a user's MFA methods (a recovery, DESIGN.md §3.6)
  kTap,              // a Temporary Access Pass issued (a recovery)
  kAdminRegistered,  // "Admin registered security info": a TAP when resultReason names one
  kCreated,          // an account created ("Add user")
  kSignin,           // O365 UserLoggedIn
  kSigninFailed,     // O365 UserLoginFailed
};

// Entra audit activityDisplayName / OperationName (Graph, Event Hub, Sentinel shapes).
// Matching ignores ASCII case, surrounding blanks and a trailing period.
ActivityClass ClassifyEntraActivity(std::string_view activity);

// O365 management activity Operation ("Reset user password." etc., period optional).
ActivityClass ClassifyO365Operation(std::string_view operation);

// The kind of an MFA-side activity of class `cls` (kMfa, kMfaReset, kTap, kAdminRegistered,
// kCreated; kMfaIfStrongAuth once resolved to kMfa with its `detail`): a StrongAuthentication
// Method list that shrank is an MFA reset, an admin registration whose result reason names a
// temporary access pass a TAP. Whether it is a recovery (another account's action) is
// decided by detect/, which has the identity keys: by the account itself it is an MFA change.
// A shrinking list counts only when a user initiated it (`by_user`): Microsoft's own MFA
// service prunes methods too, and a service is no help desk.
Kind MfaSideKind(ActivityClass cls, std::string_view detail, bool by_user);

// The modified-property name that makes "Update user" an MFA change.
inline constexpr std::string_view kStrongAuthMethod = "StrongAuthenticationMethod";

// Detail for a StrongAuthenticationMethod change from the method lists before and after
// (JSON text: each method is one {"MethodType":n,...}): more methods = "registered",
// fewer = "removed", as many = "changed"; unknown lists = just the property name.
std::string_view StrongAuthDetail(std::string_view old_value, std::string_view new_value,
                                  bool values_known);

}  // namespace vd::events
