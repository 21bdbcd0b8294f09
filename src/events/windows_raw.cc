#include "events/windows_raw.h"

#include <cstdint>

#include "events/text_util.h"

namespace vd::events {
namespace {

// Appends the UTF-8 encoding of code point cp.
void AppendUtf8(uint32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// A decoded value: a view of the raw text, or a range of the scratch buffer. Scratch ranges
// are offsets, not views: scratch grows while later values are decoded (a malformed
// document can decode the same text several times, past any size reserved up front), so
// views into it are made only once decoding is over.
struct Piece {
  std::string_view raw;
  size_t begin = 0;
  size_t size = 0;
  bool in_scratch = false;

  std::string_view View(const std::string& scratch) const {
    return in_scratch ? std::string_view(scratch).substr(begin, size) : raw;
  }
};

// Text content with entities decoded. Only when the text holds '&' does it go to scratch.
Piece Decode(std::string_view text, std::string* scratch) {
  if (text.find('&') == std::string_view::npos) return Piece{text};
  size_t begin = scratch->size();
  for (size_t i = 0; i < text.size();) {
    if (text[i] != '&') {
      scratch->push_back(text[i++]);
      continue;
    }
    size_t semi = text.find(';', i);
    if (semi == std::string_view::npos || semi - i > 10) {
      scratch->push_back(text[i++]);
      continue;
    }
    std::string_view ent = text.substr(i + 1, semi - i - 1);
    if (ent == "amp") {
      scratch->push_back('&');
    } else if (ent == "lt") {
      scratch->push_back('<');
    } else if (ent == "gt") {
      scratch->push_back('>');
    } else if (ent == "quot") {
      scratch->push_back('"');
    } else if (ent == "apos") {
      scratch->push_back('\'');
    } else if (ent.size() >= 2 && ent[0] == '#') {
      uint32_t cp = 0;
      bool hex = ent[1] == 'x' || ent[1] == 'X';
      bool ok = ent.size() > (hex ? 2u : 1u);
      for (size_t k = hex ? 2 : 1; ok && k < ent.size(); ++k) {
        char c = ent[k];
        uint32_t d;
        if (c >= '0' && c <= '9') {
          d = static_cast<uint32_t>(c - '0');
        } else if (hex && c >= 'a' && c <= 'f') {
          d = static_cast<uint32_t>(c - 'a' + 10);
        } else if (hex && c >= 'A' && c <= 'F') {
          d = static_cast<uint32_t>(c - 'A' + 10);
        } else {
          ok = false;
          break;
        }
        cp = cp * (hex ? 16 : 10) + d;
        if (cp > 0x10FFFF) ok = false;
      }
      if (!ok) {
        scratch->push_back(text[i++]);
        continue;
      }
      AppendUtf8(cp, scratch);
    } else {
      scratch->push_back(text[i++]);
      continue;
    }
    i = semi + 1;
  }
  return Piece{{}, begin, scratch->size() - begin, true};
}

// The text between the '>' that closes the first tag starting with `open` and the next '<'.
std::string_view ElementText(std::string_view raw, std::string_view open) {
  size_t at = raw.find(open);
  while (at != std::string_view::npos) {
    size_t after = at + open.size();
    // "<EventID" must not match "<EventIDX": the tag name ends at '>', '/', or a blank.
    if (after < raw.size() && (raw[after] == '>' || raw[after] == ' ' || raw[after] == '\t' ||
                               raw[after] == '\n' || raw[after] == '\r' || raw[after] == '/')) {
      size_t gt = raw.find('>', after);
      if (gt == std::string_view::npos) return {};
      if (raw[gt - 1] == '/') return {};  // <Tag/>: empty
      size_t lt = raw.find('<', gt + 1);
      if (lt == std::string_view::npos) return {};
      return raw.substr(gt + 1, lt - gt - 1);
    }
    at = raw.find(open, after);
  }
  return {};
}

// The value of attribute `name` (e.g. "SystemTime=") after `from`, with either quote.
std::string_view AttributeAfter(std::string_view raw, size_t from, std::string_view name) {
  size_t at = raw.find(name, from);
  if (at == std::string_view::npos) return {};
  size_t q = at + name.size();
  if (q >= raw.size() || (raw[q] != '"' && raw[q] != '\'')) return {};
  size_t end = raw.find(raw[q], q + 1);
  if (end == std::string_view::npos) return {};
  return raw.substr(q + 1, end - q - 1);
}

// The text after "Label:" on its line (tabs/spaces trimmed), searching from `from` and
// not past `limit`.
std::string_view LabeledValue(std::string_view raw, size_t from, size_t limit,
                              std::string_view label) {
  size_t at = raw.find(label, from);
  if (at == std::string_view::npos || at >= limit) return {};
  size_t start = at + label.size();
  size_t eol = raw.find('\n', start);
  if (eol == std::string_view::npos) eol = raw.size();
  return Trim(raw.substr(start, eol - start));
}

// "Key=value" at the start of a line.
std::string_view KeyValueLine(std::string_view raw, std::string_view key) {
  size_t at = 0;
  while ((at = raw.find(key, at)) != std::string_view::npos) {
    if (at == 0 || raw[at - 1] == '\n') {
      size_t start = at + key.size();
      size_t eol = raw.find('\n', start);
      if (eol == std::string_view::npos) eol = raw.size();
      return Trim(raw.substr(start, eol - start));
    }
    at += key.size();
  }
  return {};
}

}  // namespace

bool ParseWindowsXml(std::string_view raw, WindowsRawFields* out, std::string* scratch) {
  *out = WindowsRawFields{};
  scratch->clear();
  if (raw.find("<Event") == std::string_view::npos) return false;
  out->event_id = Trim(ElementText(raw, "<EventID"));
  if (out->event_id.empty()) return false;
  out->keywords = Trim(ElementText(raw, "<Keywords"));
  size_t tc = raw.find("<TimeCreated");
  if (tc != std::string_view::npos) out->system_time = AttributeAfter(raw, tc, "SystemTime=");
  out->record_id = Trim(ElementText(raw, "<EventRecordID"));
  const Piece computer = Decode(Trim(ElementText(raw, "<Computer")), scratch);
  Piece subject_user, subject_domain, target_user, target_domain;

  size_t at = 0;
  constexpr std::string_view kData = "<Data Name=";
  while ((at = raw.find(kData, at)) != std::string_view::npos) {
    size_t q = at + kData.size();
    if (q >= raw.size() || (raw[q] != '"' && raw[q] != '\'')) {
      at = q;
      continue;
    }
    size_t name_end = raw.find(raw[q], q + 1);
    if (name_end == std::string_view::npos) break;
    std::string_view name = raw.substr(q + 1, name_end - q - 1);
    size_t gt = raw.find('>', name_end);
    if (gt == std::string_view::npos) break;
    Piece value;
    if (raw[gt - 1] != '/') {
      size_t lt = raw.find('<', gt + 1);
      if (lt == std::string_view::npos) break;  // truncated inside a value
      value = Decode(Trim(raw.substr(gt + 1, lt - gt - 1)), scratch);
    }
    if (name == "SubjectUserName") {
      subject_user = value;
    } else if (name == "SubjectDomainName") {
      subject_domain = value;
    } else if (name == "TargetUserName") {
      target_user = value;
    } else if (name == "TargetDomainName") {
      target_domain = value;
    }
    at = gt;
  }
  // Scratch is complete: only now may views point into it.
  out->computer = computer.View(*scratch);
  out->subject_user = subject_user.View(*scratch);
  out->subject_domain = subject_domain.View(*scratch);
  out->target_user = target_user.View(*scratch);
  out->target_domain = target_domain.View(*scratch);
  return true;
}

bool ParseWindowsClassic(std::string_view raw, WindowsRawFields* out) {
  *out = WindowsRawFields{};
  out->event_id = KeyValueLine(raw, "EventCode=");
  if (out->event_id.empty()) return false;
  out->keywords = KeyValueLine(raw, "Keywords=");
  out->record_id = KeyValueLine(raw, "RecordNumber=");
  out->computer = KeyValueLine(raw, "ComputerName=");
  // The Message body names the subject first, then the target account.
  size_t subject = raw.find("Subject:");
  size_t target = raw.find("Target Account:");
  if (subject != std::string_view::npos) {
    size_t limit = target == std::string_view::npos ? raw.size() : target;
    out->subject_user = LabeledValue(raw, subject, limit, "Account Name:");
    out->subject_domain = LabeledValue(raw, subject, limit, "Account Domain:");
  }
  if (target != std::string_view::npos) {
    out->target_user = LabeledValue(raw, target, raw.size(), "Account Name:");
    out->target_domain = LabeledValue(raw, target, raw.size(), "Account Domain:");
  }
  return true;
}

}  // namespace vd::events
