#include "modinput/event_writer.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "common/fd_io.h"
#include "modinput/xml_text.h"

namespace vd::modinput {

void EventWriter::Add(std::string_view stanza, TimeMs time, std::string_view sourcetype,
                      std::string_view data) {
  if (!opened_) {
    buffer_.append("<stream>\n");
    opened_ = true;
  }
  buffer_.append("<event stanza=\"");
  AppendXmlEscaped(stanza, &buffer_);
  buffer_.append("\" unbroken=\"1\"><time>");
  buffer_.append(FormatEpochSeconds(time));
  buffer_.append("</time><sourcetype>");
  AppendXmlEscaped(sourcetype, &buffer_);
  buffer_.append("</sourcetype><data>");
  AppendXmlEscaped(data, &buffer_);
  buffer_.append("</data><done/></event>\n");
  ++events_added_;
}

Status EventWriter::Flush() {
  std::string_view left;
  if (int err = WriteAll(fd_, buffer_, &left); err != 0) {
    // EPIPE: splunkd is gone. Keep what was not written so nothing is reported as done.
    buffer_.erase(0, buffer_.size() - left.size());
    return Status::Io(std::string("writing events to stdout: ") + std::strerror(err));
  }
  buffer_.clear();
  return Status::Ok();
}

Status EventWriter::Close() {
  if (opened_) {
    buffer_.append("</stream>\n");
    opened_ = false;
  }
  return Flush();
}

}  // namespace vd::modinput
