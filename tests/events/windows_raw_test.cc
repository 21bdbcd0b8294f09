// The Windows _raw decoders on their own: the fields they return must stay valid however
// much decoding a malformed document causes.
#include "events/windows_raw.h"

#include <string>

#include <gtest/gtest.h>

namespace vd::events {
namespace {

// Every field views the raw text or the scratch buffer as it is now (not a buffer it had
// before growing).
bool Owned(std::string_view field, const std::string& raw, const std::string& scratch) {
  auto inside = [&](const std::string& s) {
    return field.data() >= s.data() && field.data() + field.size() <= s.data() + s.size();
  };
  return field.empty() || inside(raw) || inside(scratch);
}

// `<Data Name='X'` with no '>' of its own takes the '>' of <Computer>, so the computer name
// (entities and all) is decoded a second time. With a long name the decoded text exceeds
// the raw size; the fields decoded first must still read as they were decoded.
TEST(WindowsRawTest, FieldsSurviveDecodingMoreThanTheRawSize) {
  const std::string computer(2000, 'c');
  std::string raw = "<Event><System><EventID>4724</EventID>";
  raw += "<Data Name='X' ";
  raw += "<Computer>DC&amp;" + computer + "</Computer></System><EventData>" +
         "<Data Name='SubjectUserName'>help&amp;desk</Data>" +
         "<Data Name='TargetUserName'>vic&lt;tim</Data></EventData></Event>";
  WindowsRawFields f;
  std::string scratch;
  ASSERT_TRUE(ParseWindowsXml(raw, &f, &scratch));
  EXPECT_EQ(f.event_id, "4724");
  EXPECT_EQ(f.computer, "DC&" + computer);
  EXPECT_EQ(f.subject_user, "help&desk");
  EXPECT_EQ(f.target_user, "vic<tim");
  for (std::string_view field : {f.computer, f.subject_user, f.target_user}) {
    EXPECT_TRUE(Owned(field, raw, scratch)) << "a view into memory the scratch no longer owns";
  }
  // The same scratch again (the recognizer reuses it per row): same answer.
  ASSERT_TRUE(ParseWindowsXml(raw + " ", &f, &scratch));
  EXPECT_EQ(f.computer, "DC&" + computer);
  EXPECT_EQ(f.subject_user, "help&desk");
}

}  // namespace
}  // namespace vd::events
