#include "events/identity.h"

#include <string>

#include <gtest/gtest.h>

namespace vd::events {
namespace {

std::string Key(std::string_view s, IdentityMode m) {
  std::string out = "stale";
  UserKey(s, m, &out);
  return out;
}

TEST(IdentityKeyTest, LocalpartJoinsTheThreeSpellingsOfOnePerson) {
  EXPECT_EQ(Key("CONTOSO\\jdoe", IdentityMode::kLocalpart), "jdoe");
  EXPECT_EQ(Key("jdoe@contoso.com", IdentityMode::kLocalpart), "jdoe");
  EXPECT_EQ(Key("JDoe", IdentityMode::kLocalpart), "jdoe");
  EXPECT_EQ(Key("  JDOE@Contoso.COM ", IdentityMode::kLocalpart), "jdoe");
}

TEST(IdentityKeyTest, UpnKeepsTheDomainButStripsNetbiosAndFolds) {
  EXPECT_EQ(Key("jdoe@Contoso.com", IdentityMode::kUpn), "jdoe@contoso.com");
  EXPECT_EQ(Key("CONTOSO\\JDoe", IdentityMode::kUpn), "jdoe");
  EXPECT_NE(Key("jdoe@contoso.com", IdentityMode::kUpn),
            Key("jdoe@fabrikam.com", IdentityMode::kUpn));
}

TEST(IdentityKeyTest, ExactDoesNothing) {
  EXPECT_EQ(Key("CONTOSO\\JDoe", IdentityMode::kExact), "CONTOSO\\JDoe");
  EXPECT_EQ(Key("jdoe@contoso.com", IdentityMode::kExact), "jdoe@contoso.com");
}

TEST(IdentityKeyTest, NonAsciiBytesAreKeptAndGuestUpnsKeepTheirLocalPart) {
  EXPECT_EQ(Key("J\xC3\x96rg@contoso.com", IdentityMode::kLocalpart), "j\xC3\x96rg");
  EXPECT_EQ(Key("ann_fabrikam.com#EXT#@contoso.onmicrosoft.com", IdentityMode::kLocalpart),
            "ann_fabrikam.com#ext#");
  EXPECT_EQ(Key("@odd", IdentityMode::kLocalpart), "@odd");
  EXPECT_EQ(Key("DOMAIN\\", IdentityMode::kLocalpart), "domain\\");
  EXPECT_EQ(Key("", IdentityMode::kLocalpart), "");
}

TEST(IdentityKeyTest, AppKeyIsTheFoldedDisplayNameUnsplit) {
  std::string out;
  AppKey("Microsoft Entra Connect", IdentityMode::kLocalpart, &out);
  EXPECT_EQ(out, "microsoft entra connect");
  AppKey("Reset\\Bot@corp", IdentityMode::kLocalpart, &out);
  EXPECT_EQ(out, "reset\\bot@corp");
}

TEST(IdentityKeyTest, ModeNames) {
  IdentityMode m = IdentityMode::kExact;
  EXPECT_TRUE(TryParseIdentityMode("localpart", &m));
  EXPECT_EQ(m, IdentityMode::kLocalpart);
  EXPECT_TRUE(TryParseIdentityMode("upn", &m));
  EXPECT_EQ(m, IdentityMode::kUpn);
  EXPECT_TRUE(TryParseIdentityMode("exact", &m));
  EXPECT_EQ(m, IdentityMode::kExact);
  EXPECT_FALSE(TryParseIdentityMode("UPN", &m));
  EXPECT_FALSE(TryParseIdentityMode("", &m));
}

}  // namespace
}  // namespace vd::events
