#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "scp/byte_io.h"
#include "scp/chunk_reader.h"
#include "scp/metadata.h"
#include "splunkd_emulator/child_process.h"

namespace vd::splunkd_emulator {

// The splunkd side of the chunked protocol (src/scp/README.md), for tests and the demo: starts a
// command, sends getinfo with a realistic searchinfo, sends execute chunks, and validates every
// reply strictly (exact header "chunked 1.0,<m>,<b>\n", metadata a JSON object, "finished" a
// boolean in every execute reply, finished:true only in answer to finished:true or with an error,
// nothing after the last reply, exit code 0 after EOF).
struct DriverOptions {
  std::vector<std::string> command;  // argv of the command to start
  std::string command_name;          // the command's name in SPL; empty: command[0]'s file name
  std::string args;                  // SPL arguments as typed: mode=bulk helpdesk_regex="a|b"
  std::string app = "search";
  std::string search = "search index=identity";
  std::string splunk_version = "9.1.2";
  int64_t maxresultrows = 50000;
  std::string earliest_time = "0";
  std::string latest_time = "0";
  bool preview = false;
  int timeout_ms = 30000;            // any one read, write or exit
  uint64_t address_space_limit = 0;  // RLIMIT_AS for the command (0 = none)
  size_t chunk_rows = 50000;         // rows per execute chunk in RunSession
};

// One decoded reply.
struct Reply {
  scp::ParsedReply meta;
  std::string metadata;  // raw JSON
  std::string body;
  bool HasError() const;
};

class Driver {
 public:
  explicit Driver(DriverOptions options);
  ~Driver();

  Status Start();
  // Sends getinfo (no body) and reads its reply.
  Status GetInfo(Reply* reply);
  // Sends one execute chunk and reads its reply, checking the "finished" rules.
  Status Execute(std::string_view body, bool finished, Reply* reply);
  // Raw access for malformed-input tests.
  Status SendRaw(std::string_view bytes);
  Status ReadReply(Reply* reply);
  // Closes the command's stdin, checks that nothing follows the last reply, waits for exit.
  Status Finish(int* exit_code);

  std::string GetInfoMetadata() const;
  ChildProcess* child() { return child_.get(); }

 private:
  DriverOptions options_;
  std::unique_ptr<ChildProcess> child_;
  std::unique_ptr<scp::FdSource> out_;
  std::unique_ptr<scp::FdSink> in_;
  std::unique_ptr<scp::ChunkReader> reader_;
  std::string sid_;
};

// The name the command runs under: options.command_name, else command[0]'s file name.
std::string CommandName(const DriverOptions& options);

// SPL argument tokenizing as splunkd does it: split on whitespace outside double quotes.
// raw keeps the quotes; args has them removed (\" becomes ").
void TokenizeSplArgs(std::string_view text, std::vector<std::string>* args,
                     std::vector<std::string>* raw_args);

// Splits a CSV table into its header line and raw data rows (each LF-terminated; quoted newlines
// kept inside their row). Fails on malformed CSV.
Status SplitCsvRows(std::string_view csv, std::string* header, std::vector<std::string_view>* rows);

// Concatenates CSV tables into one with the union of their headers (first-seen order).
Status ConcatCsvTables(const std::vector<std::string>& tables, std::string* out);

// A whole run: getinfo, the input in chunks of chunk_rows rows (the last one finished:true; an
// empty input is sent as one header-only finished:true chunk), EOF, exit.
struct SessionResult {
  Reply getinfo;
  std::vector<Reply> replies;
  std::string output;                  // all reply bodies as one CSV table
  std::vector<scp::Message> messages;  // every inspector message, in order
  int exit_code = -1;
  size_t chunks_sent = 0;
  bool command_error = false;  // the command answered with an error
};
Status RunSession(const DriverOptions& options, std::string_view input_csv, SessionResult* result);

// splunkd's map/reduce: getinfo on the command; when it asks for a streaming_preop of itself,
// run that (once per simulated indexer, each a separate process on a contiguous slice of the
// rows), concatenate the map outputs and feed them to the first invocation.
struct PreopResult {
  SessionResult report;
  std::vector<SessionResult> maps;
  std::string streaming_preop;
};
Status RunWithPreop(const DriverOptions& options, std::string_view input_csv, int indexers,
                    PreopResult* result);

}  // namespace vd::splunkd_emulator
