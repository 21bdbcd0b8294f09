// vd_scp_drive: plays splunkd for a chunked search command.
//
//   vd_scp_drive [--args 'SPL ARGS'] [--chunk-rows N] [--emulate-preop] [--indexers K]
//                [--timeout SECONDS] [--command-name NAME] [--earliest-time EPOCH]
//                [--latest-time EPOCH] INPUT.csv -- COMMAND [ARGS...]
//
// --earliest-time / --latest-time: the search's time range in getinfo's searchinfo (epoch
// seconds as splunkd sends them; default "0", no bound).
//
// Prints the final result CSV on stdout and every inspector message on stderr ("LEVEL text").
// Exit status: 0 ok, 1 protocol violation / hang / crash, 2 the command reported an error,
// 64 usage.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <string>

#include "splunkd_emulator/driver.h"

namespace {

int Usage() {
  fprintf(
      stderr,
      "usage: vd_scp_drive [--args 'SPL ARGS'] [--chunk-rows N] [--emulate-preop] [--indexers K]\n"
      "                    [--timeout SECONDS] [--command-name NAME] [--earliest-time EPOCH]\n"
      "                    [--latest-time EPOCH] INPUT.csv -- COMMAND [ARGS...]\n");
  return 64;
}

bool ReadFile(const char* path, std::string* out) {
  FILE* f = fopen(path, "rb");
  if (!f) return false;
  char buf[1 << 16];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, f)) > 0) out->append(buf, n);
  bool ok = !ferror(f);
  fclose(f);
  return ok;
}

void PrintMessages(const std::vector<vd::scp::Message>& messages, const char* who) {
  for (const auto& m : messages) {
    fprintf(stderr, "%s%s %s\n", who, std::string(vd::scp::MessageLevelName(m.level)).c_str(),
            m.text.c_str());
  }
}

}  // namespace

int main(int argc, char** argv) {
  vd::splunkd_emulator::DriverOptions options;
  bool emulate_preop = false;
  int indexers = 1;
  const char* input = nullptr;
  int i = 1;
  for (; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&]() -> const char* { return i + 1 < argc ? argv[++i] : nullptr; };
    if (a == "--") {
      ++i;
      break;
    } else if (a == "--args") {
      const char* v = value();
      if (!v) return Usage();
      options.args = v;
    } else if (a == "--chunk-rows") {
      const char* v = value();
      if (!v || atol(v) <= 0) return Usage();
      options.chunk_rows = static_cast<size_t>(atol(v));
    } else if (a == "--indexers") {
      const char* v = value();
      if (!v || atoi(v) <= 0) return Usage();
      indexers = atoi(v);
    } else if (a == "--timeout") {
      const char* v = value();
      if (!v || atoi(v) <= 0) return Usage();
      options.timeout_ms = atoi(v) * 1000;
    } else if (a == "--command-name") {
      const char* v = value();
      if (!v) return Usage();
      options.command_name = v;
    } else if (a == "--earliest-time" || a == "--latest-time") {
      const char* v = value();
      if (!v || !*v || strspn(v, "0123456789.") != strlen(v)) return Usage();
      (a == "--earliest-time" ? options.earliest_time : options.latest_time) = v;
    } else if (a == "--emulate-preop") {
      emulate_preop = true;
    } else if (!a.empty() && a[0] == '-') {
      return Usage();
    } else if (!input) {
      input = argv[i];
    } else {
      return Usage();
    }
  }
  if (!input || i >= argc) return Usage();
  for (; i < argc; ++i) options.command.push_back(argv[i]);

  std::string csv;
  if (!ReadFile(input, &csv)) {
    fprintf(stderr, "vd_scp_drive: cannot read %s: %s\n", input, strerror(errno));
    return 64;
  }

  vd::Status s;
  vd::splunkd_emulator::SessionResult* final_result = nullptr;
  vd::splunkd_emulator::PreopResult preop;
  vd::splunkd_emulator::SessionResult plain;
  if (emulate_preop) {
    s = vd::splunkd_emulator::RunWithPreop(options, csv, indexers, &preop);
    for (size_t k = 0; k < preop.maps.size(); ++k) {
      std::string who = "[map " + std::to_string(k + 1) + "] ";
      PrintMessages(preop.maps[k].messages, who.c_str());
    }
    final_result = &preop.report;
  } else {
    s = vd::splunkd_emulator::RunSession(options, csv, &plain);
    final_result = &plain;
  }
  PrintMessages(final_result->messages, "");
  if (!s.ok()) {
    fprintf(stderr, "vd_scp_drive: %s\n", s.message().c_str());
    return s.code() == vd::Status::Code::kRemote ? 2 : 1;
  }
  if (final_result->command_error) return 2;
  fwrite(final_result->output.data(), 1, final_result->output.size(), stdout);
  return 0;
}
