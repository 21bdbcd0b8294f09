#pragma once
// Starts tests/support/fake_cloud.py (a real TLS server on 127.0.0.1) from a GoogleTest and
// talks to it over the child's stdin/stdout, one JSON line each way. Header-only so any test
// target can use it; needs VD_TEST_DATA (set by vd_add_test) to find the script.

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

namespace vd::testing {

inline std::string FakeCloudScript() { return std::string(VD_TEST_DATA) + "/../support/fake_cloud.py"; }

// Certificates generated once per test process into a fresh temp dir (removed at exit):
// ca.pem, server.pem/.key (127.0.0.1 + localhost), wronghost, expired, selfsigned.
class TestCerts {
 public:
  static const TestCerts& Get() {
    static TestCerts certs;
    return certs;
  }
  const std::string& dir() const { return dir_; }
  std::string ca_file() const { return dir_ + "/ca.pem"; }
  std::string cert(const std::string& name) const { return dir_ + "/" + name + ".pem"; }
  std::string key(const std::string& name) const { return dir_ + "/" + name + ".key"; }
  bool ok() const { return ok_; }

 private:
  TestCerts() {
    const char* tmp = std::getenv("TMPDIR");
    std::string templ = std::string(tmp && *tmp ? tmp : "/tmp") + "/vd_certs_XXXXXX";
    std::vector<char> buf(templ.begin(), templ.end());
    buf.push_back('\0');
    if (mkdtemp(buf.data()) == nullptr) return;
    dir_ = buf.data();
    const std::string cmd = "python3 '" + FakeCloudScript() + "' gen-certs '" + dir_ + "'";
    ok_ = std::system(cmd.c_str()) == 0;
  }
  ~TestCerts() {
    std::error_code ec;
    if (!dir_.empty()) std::filesystem::remove_all(dir_, ec);
  }
  std::string dir_;
  bool ok_ = false;
};

struct FakeCloudOptions {
  std::string cert = "server";  // server | wronghost | expired | selfsigned
  bool proxy = false;           // also start the CONNECT proxy (proxy_port())
  std::string proxy_auth;       // "user:pass" -> the proxy demands Basic auth
};

class FakeCloud {
 public:
  FakeCloud() = default;
  FakeCloud(const FakeCloud&) = delete;
  FakeCloud& operator=(const FakeCloud&) = delete;
  ~FakeCloud() { Stop(); }

  // Spawns the server and waits (up to 60 s) for its "ready port=N proxy_port=M" line.
  bool Start(const FakeCloudOptions& options, std::string* error) {
    // A dead child must not kill the test through SIGPIPE on the control pipe.
    signal(SIGPIPE, SIG_IGN);
    const TestCerts& certs = TestCerts::Get();
    if (!certs.ok()) {
      *error = "certificate generation failed (needs python3 and the openssl CLI)";
      return false;
    }
    int in_pipe[2], out_pipe[2];
    if (pipe(in_pipe) != 0 || pipe(out_pipe) != 0) {
      *error = "pipe failed";
      return false;
    }
    std::vector<std::string> args = {"python3", FakeCloudScript(), "serve", "--cert",
                                     certs.cert(options.cert), "--key", certs.key(options.cert)};
    if (options.proxy) args.push_back("--proxy");
    if (!options.proxy_auth.empty()) {
      args.push_back("--proxy-auth");
      args.push_back(options.proxy_auth);
    }
    pid_ = fork();
    if (pid_ < 0) {
      *error = "fork failed";
      return false;
    }
    if (pid_ == 0) {
      dup2(in_pipe[0], 0);
      dup2(out_pipe[1], 1);
      close(in_pipe[0]);
      close(in_pipe[1]);
      close(out_pipe[0]);
      close(out_pipe[1]);
      std::vector<char*> argv;
      for (auto& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      execvp("python3", argv.data());
      _exit(127);
    }
    close(in_pipe[0]);
    close(out_pipe[1]);
    to_child_ = in_pipe[1];
    from_child_ = out_pipe[0];
    fcntl(to_child_, F_SETFD, FD_CLOEXEC);
    fcntl(from_child_, F_SETFD, FD_CLOEXEC);
    std::string line;
    if (!ReadLine(&line, 60'000) || line.rfind("ready port=", 0) != 0) {
      *error = "fake_cloud.py did not become ready: '" + line + "'";
      Stop();
      return false;
    }
    port_ = std::atoi(line.c_str() + 11);
    if (size_t p = line.find("proxy_port="); p != std::string::npos) {
      proxy_port_ = std::atoi(line.c_str() + p + 11);
    }
    return port_ > 0;
  }

  // Closing stdin asks the server to exit; SIGKILL if it has not within 3 s.
  void Stop() {
    if (to_child_ >= 0) close(to_child_);
    to_child_ = -1;
    if (pid_ > 0) {
      int status = 0;
      for (int i = 0; i < 300; ++i) {
        if (waitpid(pid_, &status, WNOHANG) == pid_) {
          pid_ = -1;
          break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
      }
      if (pid_ > 0) {
        kill(pid_, SIGKILL);
        waitpid(pid_, &status, 0);
        pid_ = -1;
      }
    }
    if (from_child_ >= 0) close(from_child_);
    from_child_ = -1;
  }

  int port() const { return port_; }
  int proxy_port() const { return proxy_port_; }
  // "https://127.0.0.1:<port>" (no trailing slash).
  std::string BaseUrl() const { return "https://127.0.0.1:" + std::to_string(port_); }
  std::string ProxyUrl(const std::string& userinfo = "") const {
    return "http://" + (userinfo.empty() ? "" : userinfo + "@") + "127.0.0.1:" + std::to_string(proxy_port_);
  }
  std::string ca_file() const { return TestCerts::Get().ca_file(); }

  // Sends one JSON command line, returns the JSON reply line ("" on failure / 30 s timeout).
  std::string Command(const std::string& json) {
    if (to_child_ < 0) return "";
    std::string line = json + "\n";
    size_t off = 0;
    while (off < line.size()) {
      ssize_t n = write(to_child_, line.data() + off, line.size() - off);
      if (n <= 0) return "";
      off += static_cast<size_t>(n);
    }
    std::string reply;
    return ReadLine(&reply, 30'000) ? reply : "";
  }

  // Queues responses for "METHOD path" (path without query; "*" matches any). `responses_json`
  // is a JSON array of response specs (see README.md).
  bool Script(const std::string& method, const std::string& path, const std::string& responses_json) {
    return Command(R"({"cmd":"script","method":")" + method + R"(","path":")" + path +
                   R"(","responses":)" + responses_json + "}")
               .find("\"ok\": true") != std::string::npos;
  }

  bool Config(const std::string& json_object_members) {
    return Command(R"({"cmd":"config",)" + json_object_members + "}").find("\"ok\": true") !=
           std::string::npos;
  }

  // A counter from the stats: "connections", "tls_handshakes", "tls_failures",
  // "requests_total", "tokens_issued", "proxy_connections", "tunnels", "proxy_auth_failures",
  // or "requests:GET /path" for one route. -1 when the server did not answer.
  long Stat(const std::string& key) {
    std::string reply = Command(R"({"cmd":"stat","key":")" + key + R"("})");
    size_t p = reply.find("\"value\": ");
    if (p == std::string::npos) return -1;
    return std::strtol(reply.c_str() + p + 9, nullptr, 10);
  }

 private:
  bool ReadLine(std::string* line, int timeout_ms) {
    line->clear();
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    while (true) {
      if (size_t nl = pending_.find('\n'); nl != std::string::npos) {
        *line = pending_.substr(0, nl);
        pending_.erase(0, nl + 1);
        return true;
      }
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0 || from_child_ < 0) return false;
      pollfd pfd{from_child_, POLLIN, 0};
      if (poll(&pfd, 1, static_cast<int>(left.count())) <= 0) return false;
      char buf[65536];
      ssize_t n = read(from_child_, buf, sizeof buf);
      if (n <= 0) return false;
      pending_.append(buf, static_cast<size_t>(n));
    }
  }

  pid_t pid_ = -1;
  int to_child_ = -1;
  int from_child_ = -1;
  int port_ = 0;
  int proxy_port_ = 0;
  std::string pending_;
};

// A test fixture that owns one FakeCloud started with the options from CloudOptions().
class FakeCloudTest : public ::testing::Test {
 protected:
  virtual FakeCloudOptions CloudOptions() const { return {}; }
  void SetUp() override {
    std::string error;
    ASSERT_TRUE(cloud_.Start(CloudOptions(), &error)) << error;
  }
  void TearDown() override { cloud_.Stop(); }
  FakeCloud cloud_;
};

}  // namespace vd::testing
