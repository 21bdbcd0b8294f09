// entra_audit as the tests that replay simulated time or kill it between a checkpoint's write
// and its rename run it: the shipped RunCli, with two hooks read from the environment. Built
// with the tests only; the shipped executable (src/modinput/main.cc) has no such hooks.
//   ENTRA_AUDIT_TEST_NOW                     the wall-clock "now" (epoch seconds or ISO-8601)
//   ENTRA_AUDIT_TEST_PAUSE_BEFORE_RENAME_MS  sleep between the durable temp checkpoint and
//                                            its rename

#include <cstdlib>
#include <string>

#include "common/log.h"
#include "common/time.h"
#include "modinput/cli.h"

int main(int argc, char** argv) {
  vd::modinput::CliEnv env = vd::modinput::ProcessEnv();
  if (auto v = env.getenv("ENTRA_AUDIT_TEST_NOW"); v && !v->empty()) {
    vd::TimeMs t = 0;
    if (!vd::TryParseTime(*v, &t)) {
      vd::Log(vd::LogLevel::kError, "ENTRA_AUDIT_TEST_NOW is not a time");
      return 1;
    }
    env.now = t;
  }
  if (auto v = env.getenv("ENTRA_AUDIT_TEST_PAUSE_BEFORE_RENAME_MS"); v && !v->empty()) {
    env.pause_before_rename = std::strtoll(v->c_str(), nullptr, 10);
  }
  return vd::modinput::RunCli(argc, argv, env);
}
