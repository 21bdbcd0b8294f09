#include "splunk_results.h"

#include <stdexcept>

#include "events/splunk_rows.h"
#include "modinput/test_util.h"

namespace vd::integration {

std::vector<StreamEvent> ParseStream(const std::string& xml) {
  std::vector<StreamEvent> out;
  if (xml.empty()) return out;
  auto tree = modinput::testing::ParseXml(xml);
  for (const auto& [name, ev] : tree.get_child("stream")) {
    if (name != "event") throw std::runtime_error("unexpected <" + name + "> in <stream>");
    StreamEvent e;
    e.stanza = ev.get<std::string>("<xmlattr>.stanza");
    e.time = ev.get<std::string>("time");
    e.sourcetype = ev.get<std::string>("sourcetype");
    e.data = ev.get<std::string>("data");
    out.push_back(std::move(e));
  }
  return out;
}

namespace {

void AppendCell(std::string* out, std::string_view cell) {
  out->push_back('"');
  for (char c : cell) {
    if (c == '"') out->push_back('"');
    out->push_back(c);
  }
  out->push_back('"');
}

// Splunk's wildcard match: '*' is any run of characters, everything else literal.
bool Glob(std::string_view pattern, std::string_view name) {
  if (pattern.empty()) return name.empty();
  if (pattern[0] == '*') {
    for (size_t skip = 0; skip <= name.size(); ++skip) {
      if (Glob(pattern.substr(1), name.substr(skip))) return true;
    }
    return false;
  }
  return !name.empty() && pattern[0] == name[0] && Glob(pattern.substr(1), name.substr(1));
}

bool Kept(const std::vector<std::string>& patterns, std::string_view name) {
  if (patterns.empty()) return true;
  if (name.substr(0, 5) == "__mv_") name.remove_prefix(5);  // goes with its field
  for (const std::string& p : patterns) {
    if (Glob(p, name)) return true;
  }
  return false;
}

}  // namespace

std::vector<std::string> MacroFieldList(const std::string& conf_text, const std::string& stanza) {
  size_t at = conf_text.find("[" + stanza + "]");
  if (at == std::string::npos) return {};
  size_t def = conf_text.find("definition", at);
  size_t next_stanza = conf_text.find("\n[", at + 1);
  if (def == std::string::npos || (next_stanza != std::string::npos && def > next_stanza))
    return {};
  std::string joined;
  size_t eq = conf_text.find('=', def);
  for (size_t i = eq + 1; i < conf_text.size(); ++i) {
    if (conf_text[i] == '\\' && i + 1 < conf_text.size() && conf_text[i + 1] == '\n') {
      joined.push_back(' ');
      ++i;
    } else if (conf_text[i] == '\n') {
      break;
    } else {
      joined.push_back(conf_text[i]);
    }
  }
  std::vector<std::string> words;
  std::string word;
  for (char c : joined + " ") {
    if (c == ' ' || c == '\t') {
      if (!word.empty()) words.push_back(std::move(word));
      word.clear();
    } else {
      word.push_back(c);
    }
  }
  if (words.empty() || words[0] != "fields") return {};
  words.erase(words.begin());
  return words;
}

std::string SearchResultsCsv(const std::vector<StreamEvent>& events, Extraction extraction,
                             const std::string& host, const std::string& index,
                             const std::vector<std::string>& fields_kept) {
  std::vector<events::testing::TestRow> rows;
  std::vector<std::string> header;
  std::map<std::string, bool> seen;
  for (const StreamEvent& e : events) {
    events::testing::TestRow row;
    if (extraction == Extraction::kJson) {
      row = events::testing::FlattenJsonLikeSplunk(e.data, /*mv_encoding=*/true);
      row.Set("sourcetype", e.sourcetype);
      row.Set("source", e.stanza);
      row.Set("host", host);
      row.Set("index", index);
    } else {
      row.Set("_raw", e.data);
    }
    row.Set("_time", e.time);
    for (std::string_view name : row.Header()) {
      if (!Kept(fields_kept, name)) continue;
      if (!seen[std::string(name)]) {
        seen[std::string(name)] = true;
        header.emplace_back(name);
      }
    }
    rows.push_back(std::move(row));
  }
  std::string csv;
  for (size_t i = 0; i < header.size(); ++i) {
    if (i) csv.push_back(',');
    AppendCell(&csv, header[i]);
  }
  csv += "\r\n";
  for (const auto& row : rows) {
    for (size_t i = 0; i < header.size(); ++i) {
      if (i) csv.push_back(',');
      AppendCell(&csv, row.Has(header[i]) ? row.Get(header[i]) : "");
    }
    csv += "\r\n";
  }
  return csv;
}

std::vector<CsvRow> ParseCsv(std::string_view text) {
  std::vector<std::vector<std::string>> records;
  std::vector<std::string> record;
  std::string cell;
  size_t i = 0;
  bool cell_started = false;
  auto end_cell = [&] {
    record.push_back(std::move(cell));
    cell.clear();
    cell_started = false;
  };
  while (i < text.size()) {
    char c = text[i];
    if (c == '"' && !cell_started && cell.empty()) {
      ++i;
      while (true) {
        if (i >= text.size()) throw std::runtime_error("unterminated quoted CSV cell");
        if (text[i] == '"') {
          if (i + 1 < text.size() && text[i + 1] == '"') {
            cell.push_back('"');
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        cell.push_back(text[i++]);
      }
      cell_started = true;
      if (i < text.size() && text[i] != ',' && text[i] != '\n' && text[i] != '\r') {
        throw std::runtime_error("text after a closing quote in CSV");
      }
      continue;
    }
    if (c == ',') {
      end_cell();
    } else if (c == '\r' || c == '\n') {
      end_cell();
      records.push_back(std::move(record));
      record.clear();
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
    } else {
      cell.push_back(c);
      cell_started = true;
    }
    ++i;
  }
  if (cell_started || !record.empty()) {
    end_cell();
    records.push_back(std::move(record));
  }
  std::vector<CsvRow> rows;
  if (records.empty()) return rows;
  const std::vector<std::string>& head = records[0];
  for (size_t r = 1; r < records.size(); ++r) {
    if (records[r].size() != head.size())
      throw std::runtime_error("CSV row width differs from the header");
    CsvRow row;
    for (size_t k = 0; k < head.size(); ++k) row[head[k]] = records[r][k];
    rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace vd::integration
