#pragma once

#include <string_view>

#include <rapidjson/document.h>

#include "events/multivalue.h"

namespace vd::events {

// Helpers over an Entra targetResources list, shared by the Graph / Event Hub and the
// Sentinel recognizers.

// The userPrincipalName of the first entry whose type ("type", or "Type" as in the Graph
// docs example) is User; "" when none. `resources` must be a JSON array (else "").
std::string_view UserTargetFromJson(const rapidjson::Value* resources);

// Searches the entries' modifiedProperties for StrongAuthenticationMethod; on a hit sets
// *old_value / *new_value (JSON text of the method lists) and returns true.
bool StrongAuthFromJson(const rapidjson::Value* resources, std::string_view* old_value,
                        std::string_view* new_value);

// The same pick over Splunk's multivalue extraction. Splunk drops JSON nulls from
// multivalue fields, so when the type and userPrincipalName lists differ in length the
// positions mean nothing: returns false ("ask _raw") then. With no type list at all the
// first userPrincipalName is the target (a pre-flattened export with one target).
bool UserTargetFromMv(const MvSplitter& upns, const MvSplitter& types, bool types_present,
                      std::string_view* target);

}  // namespace vd::events
