// The entra_audit executable as splunkd runs it: --scheme, --validate-arguments, and run mode
// against the TLS fake cloud playing splunkd, Entra and Graph — including SIGKILL at random
// points of many runs.
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <thread>

#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "modinput/checkpoint.h"
#include "modinput/settings.h"
#include "poll_harness.h"
#include "process.h"

namespace vd::modinput {
namespace {

using testing::AuditRecord;
using testing::Iso;
using testing::Process;
using testing::ReadFile;

const char* const kBinary = ENTRA_AUDIT_BIN;
constexpr const char* kSessionKey = "sk-0123456789abcdef";
constexpr const char* kSecret = "Qw~8Q~s3cr3t.value_that-must-not-leak";

struct RunResult {
  int code;
  std::string out;
  std::string err;
};

class ExeTest : public vd::testing::FakeCloudTest {
 protected:
  void SetUp() override {
    FakeCloudTest::SetUp();
    std::string templ = (std::filesystem::temp_directory_path() / "vd_exe_XXXXXX").string();
    dir_ = mkdtemp(templ.data());
    std::filesystem::create_directories(dir_ + "/splunk/etc/auth");
    std::filesystem::copy_file(cloud_.ca_file(), dir_ + "/splunk/etc/auth/cacert.pem");
    std::filesystem::create_directories(dir_ + "/ckpt");
    ASSERT_TRUE(cloud_.Config(std::string(R"("session_key":")") + kSessionKey +
                              R"(","passwords":[{"realm":"entra_audit","username":")" +
                              testing::kClient + R"(","password":")" + kSecret +
                              R"(","app":"vishing_detection"}],"clients":{")" + testing::kClient +
                              R"(":")" + kSecret + R"("})"));
  }
  void TearDown() override {
    FakeCloudTest::TearDown();
    std::filesystem::remove_all(dir_);
  }

  std::string InputXml(const std::map<std::string, std::string>& extra = {}) {
    std::map<std::string, std::string> params = {{"tenant_id", testing::kTenant},
                                                 {"client_id", testing::kClient},
                                                 {"graph_url", cloud_.BaseUrl()},
                                                 {"authority_url", cloud_.BaseUrl()},
                                                 {"ca_file", cloud_.ca_file()},
                                                 {"start_date", "2024-03-01"},
                                                 {"index", "main"},
                                                 {"interval", "300"},
                                                 {"disabled", "0"}};
    for (const auto& [k, v] : extra) params[k] = v;
    std::string xml =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<input>\n"
        "  <server_host>hf1</server_host>\n  <server_uri>" +
        cloud_.BaseUrl() + "</server_uri>\n  <session_key>" + kSessionKey +
        "</session_key>\n"
        "  <checkpoint_dir>" +
        dir_ +
        "/ckpt</checkpoint_dir>\n  <configuration>\n"
        "    <stanza name=\"entra_audit://tenant_a\" app=\"vishing_detection\">\n";
    for (const auto& [k, v] : params) xml += "      <param name=\"" + k + "\">" + v + "</param>\n";
    return xml + "    </stanza>\n  </configuration>\n</input>\n";
  }

  std::vector<std::string> Env(TimeMs now, int pause_before_rename_ms = 0) {
    std::vector<std::string> env = {"SPLUNK_HOME=" + dir_ + "/splunk",
                                    "ENTRA_AUDIT_TEST_NOW=" + FormatIso8601(now)};
    if (pause_before_rename_ms > 0) {
      env.push_back("ENTRA_AUDIT_TEST_PAUSE_BEFORE_RENAME_MS=" +
                    std::to_string(pause_before_rename_ms));
    }
    return env;
  }

  RunResult Run(const std::vector<std::string>& args, const std::string& stdin_text,
                const std::vector<std::string>& env, const char* binary = kBinary) {
    std::string in = dir_ + "/stdin.xml", out = dir_ + "/stdout", err = dir_ + "/stderr";
    std::ofstream(in, std::ios::trunc) << stdin_text;
    std::vector<std::string> argv = {binary};
    argv.insert(argv.end(), args.begin(), args.end());
    Process p(argv, env, in, out, err);
    int code = p.Wait(120'000);
    return {code, ReadFile(out), ReadFile(err)};
  }

  void SetRecords(const std::vector<std::string>& records) {
    std::string json = R"({"cmd":"records","log":"audit","records":[)";
    for (size_t i = 0; i < records.size(); ++i) json += (i ? "," : "") + records[i];
    ASSERT_NE(cloud_.Command(json + "]}").find("\"ok\": true"), std::string::npos);
  }

  std::string dir_;
  const TimeMs t0_ = Iso("2024-03-01T10:00:00Z");
};

TEST_F(ExeTest, SchemeAndArgumentHandling) {
  RunResult scheme = Run({"--scheme"}, "", {});
  EXPECT_EQ(scheme.code, 0);
  auto tree = testing::ParseXml(scheme.out);
  EXPECT_EQ(tree.get<std::string>("scheme.streaming_mode"), "xml");
  EXPECT_EQ(scheme.err, "");
  EXPECT_EQ(Run({"--SCHEME"}, "", {}).out, scheme.out);  // case-insensitive, as in the SDK

  RunResult bad = Run({"--bogus"}, "", {});
  EXPECT_EQ(bad.code, 1);
  EXPECT_EQ(bad.err.rfind("ERROR Invalid arguments", 0), 0u) << bad.err;
}

// The hooks the tests use are compiled into their own build of the executable only: the shipped
// entra_audit does not look at them.
TEST_F(ExeTest, TheShippedExecutableHasNoTestHooks) {
  const std::vector<std::string> env = {"SPLUNK_HOME=" + dir_ + "/splunk",
                                        "ENTRA_AUDIT_TEST_NOW=not-a-time"};
  RunResult hooked = Run({}, InputXml(), env);
  EXPECT_EQ(hooked.code, 1);
  EXPECT_NE(hooked.err.find("ENTRA_AUDIT_TEST_NOW is not a time"), std::string::npos) << hooked.err;

  RunResult shipped = Run({}, "", env, ENTRA_AUDIT_SHIPPED_BIN);
  EXPECT_EQ(shipped.code, 1);  // an empty input configuration
  EXPECT_EQ(shipped.err.find("ENTRA_AUDIT_TEST"), std::string::npos) << shipped.err;
  EXPECT_NE(shipped.err.find("invalid input configuration"), std::string::npos) << shipped.err;
}

TEST_F(ExeTest, ValidateArgumentsAnswersLikeSplunkExpects) {
  // Splunk's own validation document lacks our required arguments.
  RunResult sdk = Run({"--validate-arguments"}, testing::DataFile("splunk_sdk/validation.xml"), {});
  EXPECT_EQ(sdk.code, 1);
  auto error = testing::ParseXml(sdk.out);
  auto splunk = testing::ParseXml(testing::DataFile("splunk_sdk/validation_error.xml"));
  EXPECT_EQ(testing::ChildNames(error.get_child("error")),
            testing::ChildNames(splunk.get_child("error")));
  EXPECT_EQ(error.get<std::string>("error.message"), "tenant_id is required");

  auto item = [&](const std::string& params) {
    return "<items><server_uri>https://127.0.0.1:8089</server_uri><session_key>k</session_key>"
           "<item name=\"tenant_a\">" +
           params + "</item></items>";
  };
  std::string ok_params = std::string("<param name=\"tenant_id\">contoso.onmicrosoft.com</param>") +
                          "<param name=\"client_id\">" + testing::kClient + "</param>";
  RunResult ok = Run({"--validate-arguments"}, item(ok_params), {});
  EXPECT_EQ(ok.code, 0) << ok.out;
  EXPECT_EQ(ok.out, "");

  RunResult lag = Run({"--validate-arguments"},
                      item(ok_params + "<param name=\"lag_minutes\">soon &amp; often</param>"), {});
  EXPECT_EQ(lag.code, 1);
  EXPECT_NE(testing::ParseXml(lag.out).get<std::string>("error.message").find("lag_minutes"),
            std::string::npos);
  RunResult ca = Run({"--validate-arguments"},
                     item(ok_params + "<param name=\"ca_file\">/nonexistent/ca.pem</param>"), {});
  EXPECT_EQ(ca.code, 1);
  EXPECT_NE(ca.out.find("ca_file"), std::string::npos);
  RunResult garbage = Run({"--validate-arguments"}, "<items><item", {});
  EXPECT_EQ(garbage.code, 1);
  EXPECT_NO_THROW(testing::ParseXml(garbage.out));
}

TEST_F(ExeTest, RunModeReadsTheSecretFromSplunkdAndStreamsEvents) {
  // Real-shaped records: the documentation's MFA-method change ("Update user", not a default
  // activity) and resets / security-info registrations around it.
  std::string update_user = testing::DataFile(
      "graph/directoryaudit_beta_example1_update_user_StrongAuthenticationMethod.json");
  update_user.replace(update_user.find("2022-06-21T23:25:00.1458248Z"), 28,
                      "2024-03-01T10:05:00.1458248Z");
  {
    rapidjson::Document doc;  // one line: the control channel is line-based
    doc.Parse(update_user.c_str());
    rapidjson::StringBuffer buf;
    rapidjson::Writer<rapidjson::StringBuffer> w(buf);
    doc.Accept(w);
    update_user = buf.GetString();
  }
  SetRecords({AuditRecord("r1", t0_), update_user,
              AuditRecord("r2", t0_ + 600'000, "User registered security info"),
              AuditRecord("r3", t0_ + 900'000, "Reset password (by admin)")});
  RunResult run = Run({}, InputXml(), Env(Iso("2024-03-01T12:00:00Z")));
  ASSERT_EQ(run.code, 0) << run.err;
  auto events = testing::ParseEvents(run.out);
  ASSERT_EQ(events.size(), 3u) << run.out;
  EXPECT_EQ(events[0].id, "r1");
  EXPECT_EQ(events[2].id, "r3");
  for (const auto& e : events) {
    EXPECT_EQ(e.stanza, "entra_audit://tenant_a");
    EXPECT_EQ(e.sourcetype, "ms:entra:audit");
  }
  EXPECT_NE(run.err.find("INFO [entra_audit://tenant_a] poll done: events_written=3 pages=1"),
            std::string::npos)
      << run.err;
  EXPECT_NE(run.err.find("watermark=2024-03-01T11:58:00.000Z"), std::string::npos);
  // The secret went to the authority (it issued a token only for the right one) and nowhere
  // in the logs; neither did the session key or the token.
  EXPECT_EQ(cloud_.Stat("tokens_issued"), 1);
  for (const std::string& secret :
       {std::string(kSecret), std::string(kSessionKey), std::string("fake-access-token")}) {
    EXPECT_EQ(run.err.find(secret), std::string::npos) << secret;
    EXPECT_EQ(run.out.find(secret), std::string::npos) << secret;
  }
  // Asked for "Update user" (from scratch), the documentation's record comes through with
  // every field intact.
  std::filesystem::remove_all(dir_ + "/ckpt");
  RunResult update =
      Run({}, InputXml({{"activities", "Update user"}}), Env(Iso("2024-03-01T12:00:00Z")));
  ASSERT_EQ(update.code, 0) << update.err;
  auto tree = testing::ParseXml(update.out);
  ASSERT_EQ(testing::ChildNames(tree.get_child("stream")).count("event"), 1u);
  rapidjson::Document got, want;
  got.Parse(tree.get<std::string>("stream.event.data").c_str());
  want.Parse(update_user.c_str());
  ASSERT_FALSE(got.HasParseError());
  ASSERT_FALSE(want.HasParseError());
  EXPECT_TRUE(got == want);
  EXPECT_EQ(tree.get<std::string>("stream.event.time"), "1709287500.145");
}

TEST_F(ExeTest, MissingSecretOrUntrustedSplunkdIsAClearError) {
  ASSERT_TRUE(cloud_.Config(R"("passwords":[])"));
  RunResult missing = Run({}, InputXml(), Env(Iso("2024-03-01T12:00:00Z")));
  EXPECT_EQ(missing.code, 1);
  EXPECT_NE(
      missing.err.find("ERROR [entra_audit://tenant_a] no client secret in storage/passwords"),
      std::string::npos)
      << missing.err;
  EXPECT_NE(missing.err.find("-d realm=entra_audit -d name="), std::string::npos);
  EXPECT_EQ(missing.out, "");

  // Without $SPLUNK_HOME/etc/auth/cacert.pem, splunkd's certificate is checked against the
  // system store, which does not hold the test CA: refused.
  std::filesystem::remove(dir_ + "/splunk/etc/auth/cacert.pem");
  RunResult untrusted = Run({}, InputXml(), Env(Iso("2024-03-01T12:00:00Z")));
  EXPECT_EQ(untrusted.code, 1);
  EXPECT_NE(untrusted.err.find(
                "ERROR [entra_audit://tenant_a] reading the client secret from splunkd failed"),
            std::string::npos)
      << untrusted.err;

  RunResult bad_config = Run({}, InputXml({{"cloud", "mars"}}), Env(Iso("2024-03-01T12:00:00Z")));
  EXPECT_EQ(bad_config.code, 1);
  EXPECT_NE(bad_config.err.find("ERROR [entra_audit://tenant_a] invalid configuration: cloud"),
            std::string::npos)
      << bad_config.err;
}

// Complete <event> elements of a (possibly killed) run's stdout. A kill can cut the last
// event short; splunkd would drop that fragment, so it counts as not written.
std::vector<testing::Written> CompleteEvents(const std::string& out) {
  std::string complete;
  size_t pos = 0;
  while (true) {
    size_t begin = out.find("<event ", pos);
    if (begin == std::string::npos) break;
    size_t end = out.find("</event>", begin);
    if (end == std::string::npos) break;
    complete += out.substr(begin, end + 8 - begin);
    pos = end + 8;
  }
  return testing::ParseEvents("<stream>" + complete + "</stream>");
}

TEST_F(ExeTest, SigkillAtRandomPointsLosesNothing) {
  // N records over four simulated hours, each reaching Graph up to 8 minutes late (inside
  // lag_minutes = 10); a fifth of them are activities the input does not collect.
  constexpr int kRecords = 150;
  constexpr int kPageSize = 5;
  const TimeMs m = 60'000;
  std::mt19937_64 rng(20240301);
  std::vector<std::string> records;
  std::set<std::string> wanted;
  const auto& activities = DefaultActivities();
  TimeMs last = t0_;
  for (int i = 0; i < kRecords; ++i) {
    TimeMs t = t0_ + static_cast<TimeMs>(rng() % (240 * m));
    if (i % 10 == 9) t = last;  // some share a millisecond with another record
    last = t;
    TimeMs visible = t + static_cast<TimeMs>(rng() % (8 * m));
    std::string id = "Directory_" + std::to_string(i);
    bool keep = i % 5 != 0;
    std::string activity = keep ? activities[rng() % activities.size()] : "Add member to group";
    if (keep) wanted.insert(id);
    records.push_back(AuditRecord(id, t, activity, visible));
  }
  SetRecords(records);
  ASSERT_TRUE(cloud_.Config(R"("page_size":)" + std::to_string(kPageSize)));
  const std::string input = InputXml({{"lag_minutes", "10"}});
  const std::string ckpt = dir_ + "/ckpt/" + CheckpointFileName("entra_audit://tenant_a");

  std::map<std::string, int> times_written;
  int runs = 0, kills = 0, kills_before_rename = 0, completed = 0;
  unsigned typical_run_ms = 300;
  TimeMs now = t0_ + 5 * m;
  const TimeMs done_after = t0_ + 240 * m + 20 * m;
  bool finished = false;
  while (!finished && runs < 400) {
    ASSERT_TRUE(cloud_.Config(R"("now":")" + FormatIso8601(now) + "\""));
    bool pause = rng() % 2 == 0;
    std::string in = dir_ + "/stdin.xml", out = dir_ + "/run" + std::to_string(runs) + ".out",
                err = dir_ + "/run" + std::to_string(runs) + ".err";
    std::ofstream(in, std::ios::trunc) << input;
    Process p({kBinary}, Env(now, pause ? 25 : 0), in, out, err);
    ++runs;
    auto started = std::chrono::steady_clock::now();
    bool killed = false;
    int mode = static_cast<int>(rng() % 10);
    if (mode < 3) {
      // Anywhere in the run: start-up, splunkd, token, a request, a write, a save.
      std::this_thread::sleep_for(std::chrono::milliseconds(rng() % (typical_run_ms + 1)));
      killed = p.Kill();
    } else if (mode < 7) {
      // Just after a page reached stdout: inside the flush -> checkpoint rename window.
      auto out_size = [&] {
        std::error_code ec;  // the child may not have created the file yet
        auto n = std::filesystem::file_size(out, ec);
        return ec ? 0 : n;
      };
      while (!p.Exited() && out_size() == 0 &&
             std::chrono::steady_clock::now() - started < std::chrono::seconds(20)) {
        std::this_thread::sleep_for(std::chrono::microseconds(500));
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(rng() % 30));
      killed = p.Kill();
    }
    if (killed) {
      ++kills;
      if (std::filesystem::exists(ckpt + ".tmp")) ++kills_before_rename;
    } else {
      int code = p.Wait(120'000);
      ASSERT_EQ(code, 0) << ReadFile(err);
      ++completed;
      auto took = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::steady_clock::now() - started)
                      .count();
      typical_run_ms = static_cast<unsigned>((typical_run_ms * 3 + took) / 4);
      // A completed run's stdout is one well-formed stream (or nothing).
      std::string text = ReadFile(out);
      if (!text.empty()) {
        EXPECT_NO_THROW(testing::ParseXml(text));
      }
      if (now >= done_after) finished = true;
    }
    // Whatever the moment of the kill, the checkpoint is a complete document (or absent).
    if (std::filesystem::exists(ckpt)) {
      Result<Checkpoint> cp = ParseCheckpoint(ReadFile(ckpt));
      ASSERT_TRUE(cp.ok()) << "partial checkpoint after run " << runs;
    }
    for (const auto& e : CompleteEvents(ReadFile(out))) ++times_written[e.id];
    now += static_cast<TimeMs>(m + rng() % (5 * m));
  }
  ASSERT_TRUE(finished) << "did not reach the end of the simulated time in 400 runs";

  int lost = 0, duplicates = 0, unwanted = 0;
  for (const std::string& id : wanted) {
    if (times_written.count(id) == 0) ++lost;
  }
  for (const auto& [id, n] : times_written) {
    if (wanted.count(id) == 0) ++unwanted;
    duplicates += n - 1;
  }
  std::printf(
      "crash test: %d records (%zu wanted), %d runs, %d SIGKILLs (%d with the temp "
      "checkpoint written but not renamed), %d completed (typical %u ms), %d duplicates, "
      "%d lost\n",
      kRecords, wanted.size(), runs, kills, kills_before_rename, completed, typical_run_ms,
      duplicates, lost);
  EXPECT_EQ(lost, 0);
  EXPECT_EQ(unwanted, 0);
  EXPECT_LE(duplicates, kills * kPageSize);  // at most one page per kill
  EXPECT_GE(kills, 20);
  EXPECT_GE(kills_before_rename, 1);  // the dangerous instant was actually hit
}

}  // namespace
}  // namespace vd::modinput
