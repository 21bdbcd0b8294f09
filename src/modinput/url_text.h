#pragma once

#include <string>
#include <string_view>

namespace vd::modinput {

// Percent-encodes everything but RFC 3986 unreserved characters (query values, form fields,
// path segments).
std::string PercentEncode(std::string_view text);

}  // namespace vd::modinput
