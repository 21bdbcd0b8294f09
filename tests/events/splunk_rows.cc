#include "splunk_rows.h"

#include <fstream>
#include <sstream>
#include <stdexcept>

#include <rapidjson/document.h>

namespace vd::events::testing {

void TestRow::Set(std::string_view name, std::string_view value) {
  for (size_t i = 0; i < names_.size(); ++i) {
    if (names_[i] == name) {
      values_[i] = std::string(value);
      return;
    }
  }
  names_.emplace_back(name);
  values_.emplace_back(value);
}

void TestRow::Drop(std::string_view name) {
  for (size_t i = 0; i < names_.size(); ++i) {
    if (names_[i] == name) {
      names_.erase(names_.begin() + static_cast<long>(i));
      values_.erase(values_.begin() + static_cast<long>(i));
      return;
    }
  }
}

bool TestRow::Has(std::string_view name) const {
  for (const auto& n : names_) {
    if (n == name) return true;
  }
  return false;
}

std::string TestRow::Get(std::string_view name) const {
  for (size_t i = 0; i < names_.size(); ++i) {
    if (names_[i] == name) return values_[i];
  }
  return {};
}

std::vector<std::string_view> TestRow::Header() const { return {names_.begin(), names_.end()}; }
std::vector<std::string_view> TestRow::Cells() const { return {values_.begin(), values_.end()}; }

std::string ReadFile(const std::string& rel) {
  std::string path = std::string(VD_TEST_DATA) + "/events/" + rel;
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + path);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<std::string> ReadLines(const std::string& rel) {
  std::vector<std::string> lines;
  std::istringstream in(ReadFile(rel));
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!line.empty()) lines.push_back(line);
  }
  return lines;
}

namespace {

struct Field {
  std::string name;
  std::vector<std::string> values;
};

void Add(std::vector<Field>* fields, const std::string& name, std::string value) {
  for (auto& f : *fields) {
    if (f.name == name) {
      f.values.push_back(std::move(value));
      return;
    }
  }
  fields->push_back({name, {std::move(value)}});
}

void Walk(const rapidjson::Value& v, const std::string& name, std::vector<Field>* fields) {
  if (v.IsObject()) {
    for (auto it = v.MemberBegin(); it != v.MemberEnd(); ++it) {
      std::string key(it->name.GetString(), it->name.GetStringLength());
      Walk(it->value, name.empty() ? key : name + "." + key, fields);
    }
  } else if (v.IsArray()) {
    for (const auto& e : v.GetArray()) Walk(e, name + "{}", fields);
  } else if (v.IsString()) {
    Add(fields, name, std::string(v.GetString(), v.GetStringLength()));
  } else if (v.IsBool()) {
    Add(fields, name, v.GetBool() ? "true" : "false");
  }
  // null: Splunk drops it
}

}  // namespace

TestRow FlattenJsonLikeSplunk(std::string_view json, bool mv_encoding) {
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseNumbersAsStringsFlag>(json.data(), json.size());
  if (doc.HasParseError() || !doc.IsObject())
    throw std::runtime_error("fixture is not a JSON object");
  std::vector<Field> fields;
  Walk(doc, "", &fields);
  TestRow row;
  for (const auto& f : fields) {
    std::string joined;
    for (size_t i = 0; i < f.values.size(); ++i) {
      if (i) joined.push_back('\n');
      joined += f.values[i];
    }
    row.Set(f.name, joined);
    if (mv_encoding && f.values.size() > 1) {
      std::string enc;
      for (size_t i = 0; i < f.values.size(); ++i) {
        if (i) enc.push_back(';');
        enc.push_back('$');
        for (char c : f.values[i]) {
          if (c == '$') enc.push_back('$');
          enc.push_back(c);
        }
        enc.push_back('$');
      }
      row.Set("__mv_" + f.name, enc);
    }
  }
  row.Set("_raw", json);
  return row;
}

namespace {

std::string Between(std::string_view s, std::string_view open, std::string_view close) {
  size_t a = s.find(open);
  if (a == std::string_view::npos) return {};
  a = s.find('>', a);
  size_t b = s.find(close, a);
  if (b == std::string_view::npos) return {};
  return std::string(s.substr(a + 1, b - a - 1));
}

}  // namespace

TestRow XmlWinEventFields(std::string_view xml) {
  TestRow row;
  row.Set("sourcetype", "XmlWinEventLog");
  row.Set("source", "XmlWinEventLog:Security");
  row.Set("EventCode", Between(xml, "<EventID", "</EventID>"));
  std::string kw = Between(xml, "<Keywords", "</Keywords>");
  row.Set("Keywords", kw == "0x8010000000000000"   ? "Audit Failure"
                      : kw == "0x8020000000000000" ? "Audit Success"
                                                   : kw);
  row.Set("EventRecordID", Between(xml, "<EventRecordID", "</EventRecordID>"));
  row.Set("Computer", Between(xml, "<Computer", "</Computer>"));
  size_t at = 0;
  while ((at = xml.find("<Data Name=", at)) != std::string_view::npos) {
    char q = xml[at + 11];
    size_t name_end = xml.find(q, at + 12);
    std::string name(xml.substr(at + 12, name_end - at - 12));
    size_t gt = xml.find('>', name_end);
    size_t lt = xml.find('<', gt);
    if (lt == std::string_view::npos) break;
    std::string value(xml.substr(gt + 1, lt - gt - 1));
    while (!value.empty() && value.front() == ' ') value.erase(0, 1);
    row.Set(name, value);
    at = lt;
  }
  row.Set("_raw", xml);
  return row;
}

TestRow XmlWinEventRawOnly(std::string_view xml) {
  TestRow row;
  row.Set("sourcetype", "XmlWinEventLog");
  row.Set("_raw", xml);
  return row;
}

RecognizeResult RecognizeRow(Recognizer* r, const TestRow& row, IdentityEvent* out) {
  std::vector<std::string_view> header = row.Header();
  std::vector<std::string_view> cells = row.Cells();
  r->SetHeader(header);
  return r->Recognize(cells, out);
}

}  // namespace vd::events::testing
