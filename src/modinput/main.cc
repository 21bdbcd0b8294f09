#include "modinput/cli.h"

int main(int argc, char** argv) {
  return vd::modinput::RunCli(argc, argv, vd::modinput::ProcessEnv());
}
