// --scheme output and stdin documents, checked against Splunk's own XML (SDK fixtures).
#include <set>
#include <string>

#include <gtest/gtest.h>

#include "modinput/input_definition.h"
#include "modinput/scheme.h"
#include "modinput/settings.h"
#include "modinput/url_text.h"
#include "modinput/xml_text.h"
#include "test_util.h"

namespace vd::modinput {
namespace {

using testing::ChildNames;
using testing::DataFile;
using testing::ParseXml;

TEST(SchemeTest, HasTheStructureOfSplunksSchemeDocuments) {
  auto ours = ParseXml(SchemeXml());
  auto splunk = ParseXml(DataFile("splunk_sdk/scheme_without_defaults_and_argument_title.xml"));
  // Same top-level elements as Splunk's fully specified scheme.
  EXPECT_EQ(ChildNames(ours.get_child("scheme")), ChildNames(splunk.get_child("scheme")));
  EXPECT_EQ(ours.get<std::string>("scheme.use_external_validation"), "true");
  EXPECT_EQ(ours.get<std::string>("scheme.use_single_instance"), "false");
  EXPECT_EQ(ours.get<std::string>("scheme.streaming_mode"), "xml");
  EXPECT_FALSE(ours.get<std::string>("scheme.title").empty());

  // Every arg carries every element Splunk's fullest arg carries, except the optional
  // splunkd-side <validation> (we validate externally).
  std::multiset<std::string> splunk_arg;
  for (const auto& [k, arg] : splunk.get_child("scheme.endpoint.args")) {
    if (arg.get<std::string>("<xmlattr>.name") == "arg2") splunk_arg = ChildNames(arg);
  }
  splunk_arg.erase("validation");
  ASSERT_EQ(splunk_arg.size(), 5u);

  std::vector<std::string> names;
  for (const auto& [k, arg] : ours.get_child("scheme.endpoint.args")) {
    ASSERT_EQ(k, "arg");
    names.push_back(arg.get<std::string>("<xmlattr>.name"));
    EXPECT_EQ(ChildNames(arg), splunk_arg) << names.back();
    std::string type = arg.get<std::string>("data_type");
    EXPECT_TRUE(type == "string" || type == "number" || type == "boolean") << names.back();
    for (const char* b : {"required_on_create", "required_on_edit"}) {
      std::string v = arg.get<std::string>(b);
      EXPECT_TRUE(v == "true" || v == "false") << names.back();
    }
  }
  // Exactly the arguments of DESIGN.md §4; the secret is not one of them.
  EXPECT_EQ(names, (std::vector<std::string>{"tenant_id", "client_id", "log", "cloud", "activities",
                                             "lag_minutes", "start_date", "proxy_url", "ca_file",
                                             "authority_url", "graph_url"}));
  for (const auto& [k, arg] : ours.get_child("scheme.endpoint.args")) {
    std::string name = arg.get<std::string>("<xmlattr>.name");
    bool required = name == "tenant_id" || name == "client_id";
    EXPECT_EQ(arg.get<std::string>("required_on_create"), required ? "true" : "false") << name;
    EXPECT_EQ(arg.get<std::string>("required_on_edit"), "false") << name;
  }
  EXPECT_EQ(SchemeXml().find("secret\">"), std::string::npos);
}

TEST(InputDefinitionTest, ParsesSplunksTwoInputDocument) {
  Result<InputDefinition> def = ParseInputDefinition(DataFile("splunk_sdk/conf_with_2_inputs.xml"));
  ASSERT_TRUE(def.ok()) << def.status().message();
  const InputDefinition& d = def.value();
  EXPECT_EQ(d.Meta("server_host"), "tiny");
  EXPECT_EQ(d.Meta("server_uri"), "https://127.0.0.1:8089");
  EXPECT_EQ(d.Meta("checkpoint_dir"), "/some/dir");
  EXPECT_EQ(d.Meta("session_key"), "123102983109283019283");
  ASSERT_EQ(d.stanzas.size(), 2u);
  EXPECT_EQ(d.stanzas[0].name, "foobar://aaa");
  EXPECT_EQ(d.stanzas[0].app, "search");
  EXPECT_EQ(d.stanzas[0].Param("param1"), "value1");
  EXPECT_EQ(d.stanzas[0].Param("param2"), "value2");
  EXPECT_EQ(d.stanzas[0].Param("disabled"), "0");
  EXPECT_EQ(d.stanzas[0].Param("index"), "default");
  EXPECT_EQ(d.stanzas[0].params.size(), 4u);
  EXPECT_EQ(d.stanzas[1].name, "foobar://bbb");
  EXPECT_EQ(d.stanzas[1].app, "my_app");
  EXPECT_EQ(d.stanzas[1].Param("param1"), "value11");
  EXPECT_EQ(d.stanzas[1].param_lists.at("multiValue"),
            (std::vector<std::string>{"value1", "value2"}));
  EXPECT_EQ(d.stanzas[1].param_lists.at("multiValue2"),
            (std::vector<std::string>{"value3", "value4"}));
}

TEST(InputDefinitionTest, ParsesZeroInputsAndRejectsUnknownStanzaChildren) {
  Result<InputDefinition> zero =
      ParseInputDefinition(DataFile("splunk_sdk/conf_with_0_inputs.xml"));
  ASSERT_TRUE(zero.ok()) << zero.status().message();
  EXPECT_TRUE(zero.value().stanzas.empty());
  EXPECT_EQ(zero.value().Meta("checkpoint_dir"), "/some/dir");

  Result<InputDefinition> bad =
      ParseInputDefinition(DataFile("splunk_sdk/conf_with_invalid_inputs.xml"));
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("editor"), std::string::npos) << bad.status().message();
}

TEST(InputDefinitionTest, ParsesTheUtf16OriginalsOfSplunksFixtures) {
  for (bool big : {true, false}) {
    std::string utf8 = DataFile("splunk_sdk/conf_with_2_inputs.xml");
    size_t enc = utf8.find("utf-8");
    utf8.replace(enc, 5, "utf-16");
    Result<InputDefinition> def = ParseInputDefinition(testing::ToUtf16(utf8, big));
    ASSERT_TRUE(def.ok()) << def.status().message();
    ASSERT_EQ(def.value().stanzas.size(), 2u);
    EXPECT_EQ(def.value().stanzas[1].Param("param2"), "value22");
  }
}

TEST(InputDefinitionTest, ParsesSplunksValidationDocument) {
  Result<InputDefinition> def = ParseValidationDefinition(DataFile("splunk_sdk/validation.xml"));
  ASSERT_TRUE(def.ok()) << def.status().message();
  ASSERT_EQ(def.value().stanzas.size(), 1u);
  const Stanza& item = def.value().stanzas[0];
  EXPECT_EQ(item.name, "aaa");
  EXPECT_EQ(item.Param("param1"), "value1");
  EXPECT_EQ(item.param_lists.at("multiValue2"), (std::vector<std::string>{"value3", "value4"}));
  EXPECT_EQ(def.value().Meta("session_key"), "123102983109283019283");
  // The run-mode parser refuses the validation document and vice versa.
  EXPECT_FALSE(ParseInputDefinition(DataFile("splunk_sdk/validation.xml")).ok());
  EXPECT_FALSE(ParseValidationDefinition(DataFile("splunk_sdk/conf_with_2_inputs.xml")).ok());
}

TEST(InputDefinitionTest, RejectsBrokenDocuments) {
  for (const char* xml : {"", "<input>", "not xml at all",
                          "<input><configuration><stanza name=\"a\"><param name=\"x\">"
                          "</stanza></configuration></input>",
                          "<input><configuration><stanza><param name=\"x\">1</param></stanza>"
                          "</configuration></input>",
                          "<input><configuration><stanza name=\"a\"><param>1</param></stanza>"
                          "</configuration></input>",
                          "<input/><input/>"}) {
    EXPECT_FALSE(ParseInputDefinition(xml).ok()) << xml;
  }
  for (const char* xml : {"", "<items>", "<items><item name=\"a\"/><item name=\"b\"/></items>",
                          "<items></items>", "<items><item name=\"a\"><bogus/></item></items>"}) {
    EXPECT_FALSE(ParseValidationDefinition(xml).ok()) << xml;
  }
  EXPECT_FALSE(ParseInputDefinition(std::string(kMaxDefinitionBytes + 1, ' ')).ok());
}

Stanza Make(std::initializer_list<std::pair<const char*, const char*>> params) {
  Stanza s;
  s.name = "entra_audit://t";
  s.app = "vishing";
  s.params["tenant_id"] = "72f988bf-86f1-41af-91ab-2d7cd011db47";
  s.params["client_id"] = "535fb089-9ff3-47b6-9bfb-4f1264799865";
  for (auto [k, v] : params) s.params[k] = v;
  return s;
}

TEST(SettingsTest, DefaultsFollowTheDesign) {
  Result<Settings> r = ParseSettings(Make({}));
  ASSERT_TRUE(r.ok()) << r.status().message();
  const Settings& s = r.value();
  EXPECT_EQ(s.log, LogKind::kAudit);
  EXPECT_EQ(s.cloud, Cloud::kGlobal);
  EXPECT_EQ(s.lag_minutes, 30);
  EXPECT_FALSE(s.start_date.has_value());
  EXPECT_EQ(s.authority_url, "https://login.microsoftonline.com");
  EXPECT_EQ(s.graph_url, "https://graph.microsoft.com");
  EXPECT_EQ(s.Scope(), "https://graph.microsoft.com/.default");
  EXPECT_EQ(s.activities, DefaultActivities());
  EXPECT_EQ(SpecFor(s.log).sourcetype, "ms:entra:audit");

  Result<Settings> gov = ParseSettings(Make({{"cloud", "usgov"}, {"log", "signin"}}));
  ASSERT_TRUE(gov.ok());
  EXPECT_EQ(gov.value().Scope(), "https://graph.microsoft.us/.default");
  EXPECT_EQ(gov.value().authority_url, "https://login.microsoftonline.us");
  EXPECT_TRUE(gov.value().activities.empty());
  EXPECT_EQ(SpecFor(gov.value().log).time_field, "createdDateTime");
}

TEST(SettingsTest, AcceptsValidArguments) {
  Result<Settings> r = ParseSettings(Make({{"tenant_id", "contoso.onmicrosoft.com"},
                                           {"activities", " Reset user password ,Update user,"},
                                           {"lag_minutes", "120"},
                                           {"start_date", "2024-03-01"},
                                           {"proxy_url", "http://u:p%40ss@proxy.corp:3128"},
                                           {"graph_url", "https://127.0.0.1:8443/"},
                                           {"authority_url", "https://127.0.0.1:8443"}}));
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r.value().activities, (std::vector<std::string>{"Reset user password", "Update user"}));
  EXPECT_EQ(r.value().lag_minutes, 120);
  TimeMs expected = 0;
  ASSERT_TRUE(TryParseTime("2024-03-01T00:00:00Z", &expected));
  EXPECT_EQ(r.value().start_date, expected);
  EXPECT_EQ(r.value().graph_url, "https://127.0.0.1:8443");
  EXPECT_EQ(r.value().Scope(), "https://127.0.0.1:8443/.default");
}

TEST(SettingsTest, RejectsInvalidArgumentsWithTheArgumentsName) {
  struct Case {
    const char* key;
    const char* value;
    const char* must_mention;
  };
  for (const Case& c : std::vector<Case>{
           {"tenant_id", "", "tenant_id"},
           {"tenant_id", "not a tenant", "tenant_id"},
           {"tenant_id", "contoso", "tenant_id"},
           {"tenant_id", "../../etc", "tenant_id"},
           {"client_id", "535fb089-9ff3-47b6-9bfb-4f126479986", "client_id"},
           {"client_id", "contoso.com", "client_id"},
           {"log", "signins", "log"},
           {"cloud", "china", "cloud"},
           {"lag_minutes", "-1", "lag_minutes"},
           {"lag_minutes", "30m", "lag_minutes"},
           {"lag_minutes", "100000", "lag_minutes"},
           {"start_date", "yesterday", "start_date"},
           {"start_date", "2024-13-45", "start_date"},
           {"proxy_url", "proxy.corp:3128", "proxy_url"},
           {"proxy_url", "https://proxy.corp:3128", "proxy_url"},
           {"proxy_url", "http://proxy.corp", "proxy_url"},
           {"graph_url", "http://graph.microsoft.com", "graph_url"},
           {"authority_url", "https://login.microsoftonline.com/?x=1", "authority_url"},
           {"activities", " , ,", "activities"},
       }) {
    Result<Settings> r = ParseSettings(Make({{c.key, c.value}}));
    ASSERT_FALSE(r.ok()) << c.key << "=" << c.value;
    EXPECT_NE(r.status().message().find(c.must_mention), std::string::npos) << r.status().message();
  }
  Result<Settings> signin_activities =
      ParseSettings(Make({{"log", "signin"}, {"activities", "x"}}));
  EXPECT_FALSE(signin_activities.ok());
}

TEST(XmlTextTest, EscapesMarkupAndReplacesWhatXmlCannotCarry) {
  EXPECT_EQ(XmlEscape("a<b>&\"c'"), "a&lt;b&gt;&amp;&quot;c&apos;");
  EXPECT_EQ(XmlEscape("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80"),
            "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80");
  EXPECT_EQ(XmlEscape(std::string("a\x01"
                                  "b",
                                  3)),
            "a\xEF\xBF\xBD"
            "b");
  EXPECT_EQ(XmlEscape("\xC3"), "\xEF\xBF\xBD");                  // truncated sequence
  EXPECT_EQ(XmlEscape("\xC0\xAF"), "\xEF\xBF\xBD\xEF\xBF\xBD");  // overlong '/'
  EXPECT_EQ(XmlEscape("\xED\xA0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // surrogate
  EXPECT_EQ(XmlEscape("tab\tnl\n"), "tab\tnl\n");
  // Whatever goes in, the result parses as XML character data.
  std::string junk;
  for (int i = 0; i < 256; ++i) junk.push_back(static_cast<char>(i));
  EXPECT_NO_THROW(testing::ParseXml("<d>" + XmlEscape(junk) + "</d>"));
}

TEST(UrlTextTest, PercentEncodeKeepsOnlyUnreservedCharacters) {
  // RFC 3986 §2.3 unreserved characters stay; every other byte is %XX in upper-case hex.
  std::string all;
  for (int c = 0; c < 256; ++c) all.push_back(static_cast<char>(c));
  std::string want;
  for (unsigned char c : all) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '_' || c == '.' || c == '~') {
      want.push_back(static_cast<char>(c));
    } else {
      want.push_back('%');
      want.push_back("0123456789ABCDEF"[c >> 4]);
      want.push_back("0123456789ABCDEF"[c & 0xF]);
    }
  }
  EXPECT_EQ(PercentEncode(all), want);
  EXPECT_EQ(PercentEncode("p@ss word/é"), "p%40ss%20word%2F%C3%A9");
  EXPECT_EQ(PercentEncode(""), "");
}

}  // namespace
}  // namespace vd::modinput
