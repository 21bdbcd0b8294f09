#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace vd::modinput {

// One <stanza> (run mode) or the single <item> (validation): its name, owning app and
// parameters. Values are kept verbatim (surrounding whitespace trimmed); an empty or
// absent <param> text is "".
struct Stanza {
  std::string name;  // "entra_audit://tenantA" in run mode, the bare name when validating
  std::string app;
  std::map<std::string, std::string> params;
  std::map<std::string, std::vector<std::string>> param_lists;

  // The parameter's value, or "" when it is absent.
  std::string_view Param(std::string_view key) const;
};

// The document splunkd writes on stdin in run mode (<input>) and for
// --validate-arguments (<items>). Unknown metadata tags are kept, not rejected.
struct InputDefinition {
  std::map<std::string, std::string> metadata;  // server_host, server_uri, session_key, ...
  std::vector<Stanza> stanzas;                  // <configuration>: zero or more; <items>: one

  std::string_view Meta(std::string_view key) const;
};

// Largest document accepted on stdin; splunkd's are a few KB.
inline constexpr size_t kMaxDefinitionBytes = 1 << 20;
// Deepest element nesting accepted; splunkd's documents are 5 deep
// (input/configuration/stanza/param_list/value). Deeper is an error, not a crash.
inline constexpr int kMaxDefinitionDepth = 64;

// Run mode: <input> … <configuration><stanza name=… app=…>…</stanza></configuration></input>.
// Anything but <param>/<param_list> inside a stanza is an error, as in Splunk's SDK.
Result<InputDefinition> ParseInputDefinition(std::string_view xml);

// --validate-arguments: <items> … <item name=…>…</item></items> with exactly one item.
Result<InputDefinition> ParseValidationDefinition(std::string_view xml);

// splunkd sends UTF-8; Splunk's own SDK fixtures are UTF-16 with a BOM. Converts a document
// with a UTF-16 (LE/BE) BOM to UTF-8 and drops a UTF-8 BOM; other input is returned as is.
Result<std::string> DecodeXmlBytes(std::string_view bytes);

}  // namespace vd::modinput
