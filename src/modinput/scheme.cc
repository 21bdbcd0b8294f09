#include "modinput/scheme.h"

#include <array>

#include "modinput/xml_text.h"

namespace vd::modinput {
namespace {

constexpr std::array<ArgSpec, 11> kArgs = {{
    {"tenant_id", "Tenant ID",
     "Entra ID tenant: its GUID or a verified domain name (contoso.onmicrosoft.com).", "string",
     true, false},
    {"client_id", "Client ID",
     "Application (client) ID of the app registration (a GUID). Its client secret is read from "
     "storage/passwords, realm entra_audit, user name = this client ID.",
     "string", true, false},
    {"log", "Log",
     "audit (directoryAudits, sourcetype ms:entra:audit) or signin (signIns, "
     "sourcetype ms:entra:signin). Default audit.",
     "string", false, false},
    {"cloud", "Cloud", "global or usgov. Default global.", "string", false, false},
    {"activities", "Activities",
     "Comma-separated activityDisplayName values to keep (audit log only). Default: password "
     "resets and security-info (MFA) changes.",
     "string", false, false},
    {"lag_minutes", "Lag (minutes)",
     "How far back each poll re-reads to catch records that reach Graph late. Default 30.",
     "number", false, false},
    {"start_date", "Start date",
     "ISO date (YYYY-MM-DD) of the first poll. Default 7 days back; at most 30 days back.",
     "string", false, false},
    {"proxy_url", "Proxy URL", "HTTP CONNECT proxy: http://[user:password@]host:port", "string",
     false, false},
    {"ca_file", "CA file",
     "PEM bundle of trusted root certificates. Default: the system trust store.", "string", false,
     false},
    {"authority_url", "Authority URL (advanced)",
     "Overrides the cloud's token authority, e.g. https://login.microsoftonline.com", "string",
     false, false},
    {"graph_url", "Graph URL (advanced)",
     "Overrides the cloud's Microsoft Graph root, e.g. https://graph.microsoft.com", "string",
     false, false},
}};

void AppendElement(std::string* out, std::string_view indent, std::string_view tag,
                   std::string_view text) {
  out->append(indent).append("<").append(tag).append(">");
  AppendXmlEscaped(text, out);
  out->append("</").append(tag).append(">\n");
}

}  // namespace

std::span<const ArgSpec> SchemeArguments() { return kArgs; }

std::string SchemeXml() {
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<scheme>\n";
  AppendElement(&out, "  ", "title", "Microsoft Entra ID audit and sign-in logs");
  AppendElement(&out, "  ", "description",
                "Collects Entra ID directory audit (password resets, MFA method changes) or "
                "sign-in records from Microsoft Graph, at least once and in order.");
  AppendElement(&out, "  ", "use_external_validation", "true");
  AppendElement(&out, "  ", "use_single_instance", "false");
  AppendElement(&out, "  ", "streaming_mode", "xml");
  out.append("  <endpoint>\n    <args>\n");
  for (const ArgSpec& arg : kArgs) {
    out.append("      <arg name=\"");
    AppendXmlEscaped(arg.name, &out);
    out.append("\">\n");
    AppendElement(&out, "        ", "title", arg.title);
    AppendElement(&out, "        ", "description", arg.description);
    AppendElement(&out, "        ", "data_type", arg.data_type);
    AppendElement(&out, "        ", "required_on_create",
                  arg.required_on_create ? "true" : "false");
    AppendElement(&out, "        ", "required_on_edit", arg.required_on_edit ? "true" : "false");
    out.append("      </arg>\n");
  }
  out.append("    </args>\n  </endpoint>\n</scheme>\n");
  return out;
}

}  // namespace vd::modinput
