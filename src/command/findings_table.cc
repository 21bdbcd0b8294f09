#include "command/findings_table.h"

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "common/huge_pages.h"
#include "csv/multivalue.h"
#include "csv/writer.h"
#include "detect/finding_fields.h"

namespace vd::command {
namespace {

enum Kind : size_t { kBulk, kChain, kKinds };

// The table's columns: the union of every row's fields in first-seen order (as
// csv::TableWriter lays them out), and which fields hold two or more values in some row
// (those get an __mv_ column). A kind of finding visits its fields in one fixed sequence,
// so after its first row a field is found by its position, checked against its name.
class Columns {
 public:
  size_t Find(Kind kind, size_t pos, std::string_view name) {
    std::vector<uint32_t>& by_pos = by_pos_[kind];
    if (pos < by_pos.size() && names_[by_pos[pos]] == name) return by_pos[pos];
    size_t c = 0;
    while (c < names_.size() && names_[c] != name) ++c;
    if (c == names_.size()) {
      names_.push_back(name);
      multi_.push_back(false);
    }
    if (pos >= by_pos.size()) by_pos.resize(pos + 1, 0);
    by_pos[pos] = static_cast<uint32_t>(c);
    return c;
  }
  void MarkMulti(size_t column) { multi_[column] = true; }

  size_t size() const { return names_.size(); }
  std::string_view name(size_t c) const { return names_[c]; }
  bool multi(size_t c) const { return multi_[c]; }

 private:
  std::vector<std::string_view> names_;  // the visitor's names are string literals
  std::vector<bool> multi_;
  std::vector<uint32_t> by_pos_[kKinds];
};

// Pass 1: learns the columns without formatting any value.
class ColumnPlanner : public detect::FieldVisitor {
 public:
  explicit ColumnPlanner(Columns* columns) : columns_(columns) {}
  void BeginRow(Kind kind) {
    kind_ = kind;
    pos_ = 0;
  }
  void Text(std::string_view name, std::string_view value) override {
    Next(name);
    bytes_ += value.size();
  }
  void List(std::string_view name, std::span<const std::string_view> values) override {
    size_t c = Next(name);
    if (values.size() >= 2) columns_->MarkMulti(c);
    // plain: values and separators; __mv_: each value with "$", "$;" around it
    for (std::string_view v : values) bytes_ += (values.size() >= 2 ? 2 : 1) * v.size() + 4;
  }
  void Time(std::string_view name, TimeMs) override {
    Next(name);
    bytes_ += 20;
  }
  void Int(std::string_view name, int64_t) override {
    Next(name);
    bytes_ += 20;
  }
  void Bool(std::string_view name, bool) override {
    Next(name);
    bytes_ += 5;
  }
  // About the size of the values as written (the reservation for the table).
  size_t bytes() const { return bytes_; }

 private:
  size_t Next(std::string_view name) { return columns_->Find(kind_, pos_++, name); }

  Columns* columns_;
  Kind kind_ = kBulk;
  size_t pos_ = 0;
  size_t bytes_ = 0;
};

// Pass 2: gathers one row's cells (plain and __mv_ parts) in a scratch buffer, then writes
// them in column order. Cell text is exactly what csv::TableWriter::SetMulti would write.
class RowWriter : public detect::FieldVisitor {
 public:
  RowWriter(Columns* columns, std::string* out) : columns_(columns), writer_(out) {
    plain_.resize(columns->size());
    mv_.resize(columns->size());
  }

  void WriteHeader() {
    for (size_t c = 0; c < columns_->size(); ++c) writer_.WriteCell(columns_->name(c));
    std::string mv_name;
    for (size_t c = 0; c < columns_->size(); ++c) {
      if (!columns_->multi(c)) continue;
      mv_name.assign("__mv_").append(columns_->name(c));
      writer_.WriteCell(mv_name);
    }
    writer_.EndRow();
  }

  void BeginRow(Kind kind) {
    kind_ = kind;
    pos_ = 0;
    scratch_.clear();
    std::fill(plain_.begin(), plain_.end(), Span{});
    std::fill(mv_.begin(), mv_.end(), Span{});
  }

  void Text(std::string_view name, std::string_view value) override {
    size_t c = Next(name);
    plain_[c] = Append(value);
    mv_[c] = Span{};
  }

  void List(std::string_view name, std::span<const std::string_view> values) override {
    size_t c = Next(name);
    if (values.size() < 2) {
      plain_[c] = Append(values.empty() ? std::string_view() : values[0]);
      mv_[c] = Span{};
      return;
    }
    mv_scratch_.clear();
    size_t from = scratch_.size();
    csv::AppendMultivalue(values, &scratch_, &mv_scratch_);
    plain_[c] = Span{from, scratch_.size() - from};
    mv_[c] = Append(mv_scratch_);
  }

  void EndRow() {
    cells_.clear();
    for (size_t c = 0; c < plain_.size(); ++c) cells_.push_back(View(plain_[c]));
    for (size_t c = 0; c < mv_.size(); ++c) {
      if (columns_->multi(c)) cells_.push_back(View(mv_[c]));
    }
    writer_.WriteRow(cells_);
  }

 private:
  struct Span {
    size_t off = 0;
    size_t len = 0;
  };

  size_t Next(std::string_view name) { return columns_->Find(kind_, pos_++, name); }
  Span Append(std::string_view value) {
    Span s{scratch_.size(), value.size()};
    scratch_.append(value);
    return s;
  }
  std::string_view View(Span s) const { return std::string_view(scratch_).substr(s.off, s.len); }

  Columns* columns_;
  csv::Writer writer_;
  Kind kind_ = kBulk;
  size_t pos_ = 0;
  std::vector<Span> plain_, mv_;
  std::string scratch_, mv_scratch_;
  std::vector<std::string_view> cells_;  // the row being written
};

template <class Visitor>
void VisitAll(const detect::Findings& findings, Visitor* visitor, void (Visitor::*end_row)()) {
  for (const detect::BulkFinding& f : findings.bulk) {
    visitor->BeginRow(kBulk);
    detect::VisitBulk(f, visitor);
    if (end_row) (visitor->*end_row)();
  }
  for (const detect::ChainFinding& f : findings.chains) {
    visitor->BeginRow(kChain);
    detect::VisitChain(f, visitor);
    if (end_row) (visitor->*end_row)();
  }
}

}  // namespace

void WriteFindingsCsv(const detect::Findings& findings, std::string* out) {
  if (findings.bulk.empty() && findings.chains.empty()) return;
  Columns columns;
  ColumnPlanner planner(&columns);
  VisitAll<ColumnPlanner>(findings, &planner, nullptr);
  // Room for the whole table up front: growing a string of tens of MB by doubling copies it
  // again and again. Untouched capacity costs address space only.
  out->reserve(out->size() + planner.bytes() +
               (findings.bulk.size() + findings.chains.size()) * (2 * columns.size() + 2));
  AdviseHugePages(out->data(), out->capacity());  // tens of MB, touched once, front to back
  RowWriter rows(&columns, out);
  rows.WriteHeader();
  VisitAll<RowWriter>(findings, &rows, &RowWriter::EndRow);
}

}  // namespace vd::command
