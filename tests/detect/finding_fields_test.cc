#include "detect/finding_fields.h"

#include <map>

#include <gtest/gtest.h>

#include "scenario.h"

namespace vd::detect::testing {
namespace {

std::map<std::string, std::vector<std::string>> AsMap(const OutRecord& r) {
  std::map<std::string, std::vector<std::string>> m;
  for (const OutField& f : r) {
    EXPECT_TRUE(m.emplace(f.name, f.values).second) << "duplicate field " << f.name;
  }
  return m;
}

using Values = std::vector<std::string>;

TEST(FindingFieldsTest, BulkAndChainRowsCarryEveryFieldOfTheirKind) {
  Scenario sc;
  sc.Reset(At(10, 0) + 250, "CONTOSO\\opsadmin", "CONTOSO\\jdoe", "4724", Source::kAd)
      .initiator_ip = sc.S("10.1.1.1");
  sc.Reset(At(10, 7), "CONTOSO\\opsadmin", "asmith@contoso.com", "Reset user password.",
           Source::kO365);
  sc.Mfa(At(10, 19), "jdoe@contoso.com").detail = sc.S("Microsoft Authenticator");
  Findings f = sc.Run(DefaultOptions());
  std::vector<OutRecord> records = ToRecords(f);
  ASSERT_EQ(records.size(), 2u);

  auto bulk = AsMap(records[0]);
  const std::string t0 = FormatEpochSeconds(At(10, 0) + 250);
  EXPECT_EQ(bulk["_time"], Values{t0});
  EXPECT_EQ(t0.substr(t0.size() - 3), ".25");
  EXPECT_EQ(bulk["detection"], Values{"bulk_reset"});
  EXPECT_EQ(bulk["severity"], Values{"critical"});  // 2 targets, raised: jdoe's reset chains
  EXPECT_EQ(bulk["RiskScore"], Values{"critical"});
  EXPECT_EQ(bulk["risk_score"], Values{"100"});
  // risk_object is the identity key (one risk object per person), src_user the spelling.
  EXPECT_EQ(bulk["risk_object"], Values{"opsadmin"});
  EXPECT_EQ(bulk["finding_id"][0].size(), 16u);
  EXPECT_EQ(bulk["finding_id"][0].find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_EQ(bulk["risk_object_type"], Values{"user"});
  EXPECT_EQ(bulk["src_user"], Values{"CONTOSO\\opsadmin"});
  EXPECT_EQ(bulk["user"], (Values{"CONTOSO\\jdoe", "asmith@contoso.com"}));
  EXPECT_EQ(bulk["src"], Values{"10.1.1.1"});
  EXPECT_EQ(bulk["mitre_technique_id"], (Values{"T1598.004", "T1098"}));
  EXPECT_EQ(bulk["InitiatorAccount"], Values{"CONTOSO\\opsadmin"});
  EXPECT_EQ(bulk["ResetCount"], Values{"2"});
  EXPECT_EQ(bulk["UniqueTargets"], Values{"2"});
  EXPECT_EQ(bulk["FailedResets"], Values{"0"});
  EXPECT_EQ(bulk["AllowlistedResets"], Values{"0"});
  EXPECT_EQ(bulk["AffectedAccounts"], (Values{"CONTOSO\\jdoe", "asmith@contoso.com"}));
  EXPECT_EQ(bulk["SourceIPs"], Values{"10.1.1.1"});
  EXPECT_EQ(bulk["Sources"], (Values{"AD", "O365"}));
  EXPECT_EQ(bulk["RecoveryKinds"], Values{"reset"});
  EXPECT_EQ(bulk["FirstReset"], Values{t0});
  EXPECT_EQ(bulk["LastReset"], Values{FormatEpochSeconds(At(10, 7))});
  EXPECT_EQ(bulk["TimespanMinutes"], Values{"7"});
  EXPECT_EQ(bulk.count("MFATime"), 0u);

  auto chain = AsMap(records[1]);
  EXPECT_EQ(chain["_time"], Values{t0});
  EXPECT_EQ(chain["detection"], Values{"reset_mfa_chain"});
  EXPECT_EQ(chain["severity"], Values{"high"});
  EXPECT_EQ(chain["risk_score"], Values{"75"});
  EXPECT_EQ(chain["risk_object"], Values{"jdoe"});
  EXPECT_EQ(chain["finding_id"][0].size(), 16u);
  EXPECT_NE(chain["finding_id"], bulk["finding_id"]);
  EXPECT_EQ(chain["src_user"], Values{"CONTOSO\\opsadmin"});
  EXPECT_EQ(chain["user"], Values{"CONTOSO\\jdoe"});
  EXPECT_EQ(chain["src"], Values{"10.1.1.1"});
  EXPECT_EQ(chain["mitre_technique_id"], (Values{"T1598.004", "T1098.005", "T1556.006"}));
  EXPECT_EQ(chain["ResetTime"], Values{t0});
  EXPECT_EQ(chain["MFATime"], Values{FormatEpochSeconds(At(10, 19))});
  EXPECT_EQ(chain["MinutesBetween"], Values{"18"});  // 18 min 59.75 s elapsed
  EXPECT_EQ(chain["HighConfidence"], Values{"true"});
  EXPECT_EQ(chain["TargetUser"], Values{"CONTOSO\\jdoe"});
  EXPECT_EQ(chain["InitiatorUPN"], Values{"CONTOSO\\opsadmin"});
  EXPECT_EQ(chain["InitiatorIPAddress"], Values{"10.1.1.1"});
  EXPECT_EQ(chain["InitiatorAppName"], Values{});
  EXPECT_EQ(chain["ResetOperation"], Values{"4724"});
  EXPECT_EQ(chain["RecoveryKind"], Values{"reset"});
  EXPECT_EQ(chain["MFAOperation"], Values{"User registered security info"});
  EXPECT_EQ(chain["MFADetail"], Values{"Microsoft Authenticator"});
  EXPECT_EQ(chain["MFAOperations"], Values{"User registered security info"});
  EXPECT_EQ(chain["MFAChangeCount"], Values{"1"});
  EXPECT_EQ(chain["ResetSource"], Values{"AD"});
  EXPECT_EQ(chain["MFASource"], Values{"Entra"});
  EXPECT_EQ(chain["SignInAfterMFA"], Values{"false"});
  EXPECT_EQ(chain["SignInIP"], Values{});
  EXPECT_EQ(chain["SignInBaseline"], Values{"none"});
  EXPECT_EQ(chain.count("ResetCount"), 0u);

  // Every name used is in FieldNames(), in that order.
  const std::vector<std::string>& names = FieldNames();
  for (const OutRecord& r : records) {
    size_t last = 0;
    for (const OutField& field : r) {
      auto it = std::find(names.begin(), names.end(), field.name);
      ASSERT_NE(it, names.end()) << field.name;
      size_t pos = static_cast<size_t>(it - names.begin());
      EXPECT_GE(pos, last) << field.name;
      last = pos;
    }
  }
}

TEST(FindingFieldsTest, StatsLineNamesTheCounts) {
  Scenario sc;
  sc.Reset(At(10, 0), "jdoe@contoso.com", "jdoe@contoso.com");
  sc.Reset(At(10, 0), "helpdesk@contoso.com", "asmith@contoso.com");
  Findings f = sc.Run(DefaultOptions());
  std::string line = FormatStats(f.stats);
  EXPECT_NE(line.find("events=2"), std::string::npos) << line;
  EXPECT_NE(line.find("self_service_resets=1"), std::string::npos) << line;
  EXPECT_NE(line.find("admin_resets=1"), std::string::npos) << line;
}

}  // namespace
}  // namespace vd::detect::testing
