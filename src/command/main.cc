// vishingcorrelate: a chunked (protocol v2) Splunk search command. splunkd passes no argv; the
// SPL arguments arrive in the getinfo metadata. With options it is a tool for people holding
// exports instead (replay.h): --replay FILE, --table, --help.
#include <string>
#include <vector>

#include "command/replay.h"
#include "command/vishing_command.h"
#include "scp/command_loop.h"

int main(int argc, char** argv) {
  if (argc <= 1) {
    vd::command::VishingCommand command;
    return vd::scp::RunOnStdio(&command);
  }
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args[0] == "--help" || args[0] == "-h") return vd::command::UsageMain(true);
  if (args[0] == "--table" && args.size() == 1) return vd::command::TableMain();
  for (const std::string& a : args) {
    if (a == "--replay") return vd::command::ReplayMain(args);
  }
  return vd::command::UsageMain(false);
}
