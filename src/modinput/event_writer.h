#pragma once

#include <string>
#include <string_view>

#include "common/status.h"
#include "common/time.h"

namespace vd::modinput {

// Writes splunkd's XML streaming format on a file descriptor (stdout in production):
//   <stream><event stanza="…" unbroken="1"><time>…</time><sourcetype>…</sourcetype>
//   <data>…</data><done/></event>…</stream>
// Events are buffered until Flush(), which writes them with write(2) (no stdio buffer can
// hold events back after Flush returns). <stream> is opened with the first event and closed
// by Close(); a run that writes nothing writes no bytes at all, as Splunk's SDK does.
class EventWriter {
 public:
  explicit EventWriter(int fd) : fd_(fd) {}

  // `data` is one record as single-line JSON; it is XML-escaped here.
  void Add(std::string_view stanza, TimeMs time, std::string_view sourcetype,
           std::string_view data);
  Status Flush();
  Status Close();  // writes </stream> (if <stream> was opened) and flushes

  int events_added() const { return events_added_; }

 private:
  int fd_;
  std::string buffer_;
  bool opened_ = false;
  int events_added_ = 0;
};

}  // namespace vd::modinput
