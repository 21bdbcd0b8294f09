#pragma once

#include <span>
#include <string>
#include <string_view>

namespace vd::modinput {

// One <arg> of the scheme. Every element is emitted explicitly: splunkd's defaults for
// omitted tags (required_on_create, streaming_mode) are not the ones we want.
struct ArgSpec {
  std::string_view name;
  std::string_view title;
  std::string_view description;
  std::string_view data_type;  // "string" | "number" | "boolean"
  bool required_on_create;
  bool required_on_edit;
};

// The arguments of DESIGN.md §4, in the order the UI shows them. The client secret is
// deliberately absent: it lives in splunkd's storage/passwords, never in inputs.conf.
std::span<const ArgSpec> SchemeArguments();

// The complete `--scheme` document (UTF-8, XML-escaped).
std::string SchemeXml();

}  // namespace vd::modinput
