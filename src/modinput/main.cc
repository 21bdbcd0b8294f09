#include <cstdlib>

#include "modinput/cli.h"

int main(int argc, char** argv) {
  vd::modinput::CliEnv env;
  env.getenv = [](std::string_view name) -> std::optional<std::string> {
    const char* v = std::getenv(std::string(name).c_str());
    if (v == nullptr) return std::nullopt;
    return std::string(v);
  };
  return vd::modinput::RunCli(argc, argv, env);
}
