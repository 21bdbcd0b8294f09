// vishingcorrelate: a chunked (protocol v2) Splunk search command. splunkd passes no argv; the
// SPL arguments arrive in the getinfo metadata.
#include <stdio.h>

#include "command/vishing_command.h"
#include "scp/command_loop.h"

int main(int argc, char** argv) {
  if (argc > 1) {
    fprintf(stderr, "usage: %s   (started by splunkd; speaks the chunked protocol on stdin/stdout)\n",
            argv[0]);
    return 64;
  }
  vd::command::VishingCommand command;
  return vd::scp::RunOnStdio(&command);
}
