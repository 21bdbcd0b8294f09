#include "command/findings_printer.h"

#include <charconv>
#include <string_view>

#include "common/time.h"
#include "csv/multivalue.h"
#include "csv/reader.h"

namespace vd::command {
namespace {

constexpr size_t kMaxCellWidth = 56;      // initiator and target cells
constexpr size_t kMaxSummaryWidth = 200;  // the last column
constexpr size_t kTargetsShown = 3;       // bulk rows: the first few targets, then "+N"

const std::vector<std::string>* Values(const detect::OutRecord& r, std::string_view name) {
  for (const detect::OutField& f : r) {
    if (f.name == name) return &f.values;
  }
  return nullptr;
}

std::string_view First(const detect::OutRecord& r, std::string_view name) {
  const std::vector<std::string>* v = Values(r, name);
  return v && !v->empty() ? std::string_view(v->front()) : std::string_view();
}

int64_t Int(const detect::OutRecord& r, std::string_view name) {
  std::string_view s = First(r, name);
  int64_t n = 0;
  std::from_chars(s.data(), s.data() + s.size(), n);
  return n;
}

// Display width in code points (UTF-8 continuation bytes take no column).
size_t Width(std::string_view s) {
  size_t w = 0;
  for (unsigned char c : s) w += (c & 0xC0) != 0x80;
  return w;
}

// Control characters become '?', and text wider than max_width is cut (on a code point
// boundary) and ends in "...".
std::string Clean(std::string_view s, size_t max_width) {
  std::string out;
  out.reserve(s.size());
  size_t width = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    bool starts_char = (c & 0xC0) != 0x80;
    if (starts_char && width == max_width - 3 && Width(s.substr(i)) > 3) {
      out += "...";
      break;
    }
    width += starts_char;
    out += (c < 0x20 || c == 0x7F) ? '?' : static_cast<char>(c);
  }
  return out;
}

// "2025-06-02T10:01:00Z" (milliseconds only when there are any); the text as it is when
// it is not a time.
std::string IsoTime(std::string_view epoch) {
  TimeMs t = 0;
  if (!TryParseTime(epoch, &t)) return std::string(epoch);
  std::string iso = FormatIso8601(t);
  constexpr std::string_view kWholeSecond = ".000Z";
  if (iso.size() > kWholeSecond.size() &&
      iso.compare(iso.size() - kWholeSecond.size(), kWholeSecond.size(), kWholeSecond) == 0) {
    iso.replace(iso.size() - kWholeSecond.size(), kWholeSecond.size(), "Z");
  }
  return iso;
}

std::string Count(int64_t n, std::string_view noun) {
  std::string s = std::to_string(n) + " " + std::string(noun);
  if (n != 1) s += 's';
  return s;
}

std::string BulkTargets(const detect::OutRecord& r) {
  const std::vector<std::string>* users = Values(r, "user");
  size_t listed = users ? users->size() : 0;
  int64_t count =
      Values(r, "UniqueTargets") ? Int(r, "UniqueTargets") : static_cast<int64_t>(listed);
  // "6: a, b +4": as many whole names as fit the cell (at least one), then how many more.
  std::string s = std::to_string(count) + ":";
  size_t shown = 0;
  for (; shown < listed && shown < kTargetsShown; ++shown) {
    std::string more = shown + 1 < listed ? " +" + std::to_string(listed - shown - 1) : "";
    if (shown > 0 && Width(s) + 2 + Width((*users)[shown]) + more.size() > kMaxCellWidth) break;
    s += shown == 0 ? " " : ", ";
    s += (*users)[shown];
  }
  if (shown < listed) s += " +" + std::to_string(listed - shown);
  return s;
}

std::string BulkSummary(const detect::OutRecord& r) {
  int64_t targets = Int(r, "UniqueTargets");
  std::string s =
      Count(targets, "target") + " in " + std::to_string(Int(r, "TimespanMinutes")) + " min";
  if (int64_t resets = Int(r, "ResetCount"); resets > targets) s += ", " + Count(resets, "reset");
  if (int64_t failed = Int(r, "FailedResets"); failed > 0)
    s += ", " + std::to_string(failed) + " failed";
  if (int64_t allowed = Int(r, "AllowlistedResets"); allowed > 0) {
    s += ", " + std::to_string(allowed) + " allow-listed";
  }
  // Severity from targets alone is critical only from 5 targets (DESIGN.md §3.3); below that,
  // critical means mode=all raised the incident because one of its resets starts a chain.
  if (First(r, "severity") == "critical" && targets < 5)
    s += "; raised: a reset in it starts a chain";
  return s;
}

std::string ChainSummary(const detect::OutRecord& r) {
  std::string s = "MFA " + std::to_string(Int(r, "MinutesBetween")) + " min after reset (" +
                  std::string(First(r, "MFAOperation")) + ")";
  if (int64_t changes = Int(r, "MFAChangeCount"); changes > 1)
    s += ", " + Count(changes, "MFA change");
  std::string_view ip = First(r, "SignInIP");
  if (First(r, "SignInAfterMFA") == "true") {
    s += "; new-IP sign-in " + std::string(ip);
  } else if (!ip.empty()) {
    s += "; sign-in from " + std::string(ip) + " (no earlier sign-in to compare)";
  }
  return s;
}

struct Line {
  std::string cells[6];
};

void AppendPadded(const std::string& cell, size_t width, std::string* out) {
  *out += cell;
  out->append(width - Width(cell) + 2, ' ');
}

}  // namespace

Status ParseFindingsCsv(std::string* csv, std::vector<detect::OutRecord>* records) {
  records->clear();
  csv::Reader reader(csv->data(), csv->size());
  std::vector<std::string_view> header_cells, cells;
  if (!reader.Next(&header_cells)) {
    if (!reader.status().ok()) return Status::Parse("result table: " + reader.status().message());
    return Status::Ok();  // empty: no findings
  }
  // Copy the header: the reader reuses the vector, and quoted names are unescaped in place
  // (the views stay valid, the vector does not).
  std::vector<std::string> header(header_cells.begin(), header_cells.end());
  std::vector<int> mv_column(header.size(), -1);
  bool has_detection = false;
  for (size_t i = 0; i < header.size(); ++i) {
    has_detection |= header[i] == "detection";
    if (header[i].rfind("__mv_", 0) != 0) continue;
    for (size_t j = 0; j < header.size(); ++j) {
      if (header[j] == std::string_view(header[i]).substr(5)) mv_column[j] = static_cast<int>(i);
    }
  }
  if (!has_detection) {
    return Status::InvalidArgument(
        "not a vishingcorrelate result table: the header has no \"detection\" column");
  }
  std::vector<std::string> decoded;
  while (reader.Next(&cells)) {
    bool blank = true;
    for (std::string_view c : cells) blank &= c.empty();
    if (blank) continue;
    detect::OutRecord record;
    for (size_t i = 0; i < header.size(); ++i) {
      if (header[i].rfind("__mv_", 0) == 0) continue;
      detect::OutField field{header[i], {}};
      std::string_view plain = i < cells.size() ? cells[i] : std::string_view();
      std::string_view mv = mv_column[i] >= 0 && static_cast<size_t>(mv_column[i]) < cells.size()
                                ? cells[static_cast<size_t>(mv_column[i])]
                                : std::string_view();
      if (!mv.empty() && csv::DecodeMultivalue(mv, &decoded) && !decoded.empty()) {
        field.values = std::move(decoded);
        decoded.clear();
      } else if (plain.find('\n') != std::string_view::npos) {
        // A multivalue field without its __mv_ companion (a CSV export): values joined by LF.
        size_t start = 0;
        while (start <= plain.size()) {
          size_t end = plain.find('\n', start);
          if (end == std::string_view::npos) end = plain.size();
          field.values.emplace_back(plain.substr(start, end - start));
          start = end + 1;
        }
      } else if (!plain.empty()) {
        field.values.emplace_back(plain);
      }
      record.push_back(std::move(field));
    }
    records->push_back(std::move(record));
  }
  if (!reader.status().ok()) return Status::Parse("result table: " + reader.status().message());
  return Status::Ok();
}

void PrintFindingsTable(const std::vector<detect::OutRecord>& records, std::string* out) {
  if (records.empty()) {
    *out += "no findings\n";
    return;
  }
  std::vector<Line> lines;
  lines.push_back({{"SEVERITY", "DETECTION", "TIME (UTC)", "INITIATOR", "TARGET(S)", "SUMMARY"}});
  for (const detect::OutRecord& r : records) {
    std::string_view detection = First(r, "detection");
    bool bulk = detection == "bulk_reset";
    bool chain = detection == "reset_mfa_chain";
    Line line;
    line.cells[0] = Clean(First(r, "severity"), kMaxCellWidth);
    line.cells[1] = Clean(detection, kMaxCellWidth);
    line.cells[2] = Clean(IsoTime(First(r, "_time")), kMaxCellWidth);
    line.cells[3] = Clean(First(r, "src_user"), kMaxCellWidth);
    line.cells[4] = Clean(bulk ? BulkTargets(r) : std::string(First(r, "user")), kMaxCellWidth);
    line.cells[5] = Clean(bulk    ? BulkSummary(r)
                          : chain ? ChainSummary(r)
                                  : std::string(),
                          kMaxSummaryWidth);
    lines.push_back(std::move(line));
  }
  size_t width[5] = {};
  for (const Line& line : lines) {
    for (size_t c = 0; c < 5; ++c) width[c] = std::max(width[c], Width(line.cells[c]));
  }
  for (const Line& line : lines) {
    for (size_t c = 0; c < 5; ++c) AppendPadded(line.cells[c], width[c], out);
    *out += line.cells[5];
    while (!out->empty() && out->back() == ' ') out->pop_back();
    *out += '\n';
  }
}

}  // namespace vd::command
