#include "command/findings_table.h"

#include <algorithm>
#include <charconv>
#include <cstring>
#include <memory>
#include <span>

#include "common/time.h"
#include "csv/cell_encoder.h"
#include "detect/finding_fields.h"

namespace vd::command {
namespace {

using Layout = FindingsCsv::Layout;
enum Kind : size_t { kBulk, kChain };

// Byte counting: the sizing pass runs the writer's own code against this.
class CountOut {
 public:
  void Put(char) { ++bytes_; }
  void Put(std::string_view s) { bytes_ += s.size(); }
  uint64_t bytes() const { return bytes_; }

 private:
  uint64_t bytes_ = 0;
};

// Bytes to a sink through one reused buffer. The first failed write is kept; later output is
// dropped (the reply is broken either way).
class SinkOut {
 public:
  explicit SinkOut(scp::ByteSink* sink) : sink_(sink), buffer_(new char[kBuffer]) {}
  void Put(char c) {
    if (used_ == kBuffer) Flush();
    buffer_[used_++] = c;
  }
  void Put(std::string_view s) {
    if (s.size() > kBuffer - used_) {
      Flush();
      if (s.size() > kBuffer) {  // a huge value: straight through
        Send(s);
        return;
      }
    }
    std::memcpy(buffer_.get() + used_, s.data(), s.size());
    used_ += s.size();
  }
  Status Finish() {
    Flush();
    return status_;
  }

 private:
  static constexpr size_t kBuffer = size_t{1} << 20;
  void Flush() {
    Send(std::string_view(buffer_.get(), used_));
    used_ = 0;
  }
  void Send(std::string_view s) {
    if (status_.ok() && !s.empty()) status_ = sink_->Write(s);
  }

  scp::ByteSink* sink_;
  std::unique_ptr<char[]> buffer_;
  size_t used_ = 0;
  Status status_;
};

// Appends to a string (WriteFindingsCsv).
class AppendingSink : public scp::ByteSink {
 public:
  explicit AppendingSink(std::string* out) : out_(out) {}
  Status Write(std::string_view a, std::string_view b, std::string_view c) override {
    out_->append(a);
    out_->append(b);
    out_->append(c);
    return Status::Ok();
  }

 private:
  std::string* out_;
};

// Records a finding's field names by position.
class NameRecorder : public detect::FieldVisitor {
 public:
  void Text(std::string_view name, std::string_view) override { names.push_back(name); }
  void List(std::string_view name, std::span<const std::string_view>) override {
    names.push_back(name);
  }
  std::vector<std::string_view> names;
};

void AddKind(Kind kind, const NameRecorder& fields, Layout* layout) {
  for (std::string_view name : fields.names) {
    auto it = std::find(layout->names.begin(), layout->names.end(), name);
    if (it == layout->names.end()) {
      layout->names.push_back(name);
      it = layout->names.end() - 1;
    }
    layout->column_of[kind].push_back(static_cast<uint32_t>(it - layout->names.begin()));
  }
}

// Every kind visits its fields in one fixed sequence, so one finding of each kind gives its
// columns; bulk rows come first, so their fields are seen first.
Layout MakeLayout(const detect::Findings& findings) {
  Layout layout;
  if (!findings.bulk.empty()) {
    NameRecorder r;
    detect::VisitBulk(findings.bulk.front(), &r);
    AddKind(kBulk, r, &layout);
  }
  if (!findings.chains.empty()) {
    NameRecorder r;
    detect::VisitChain(findings.chains.front(), &r);
    AddKind(kChain, r, &layout);
  }
  layout.multi.assign(layout.names.size(), false);
  return layout;
}

using csv::Inspect;
using csv::PutCell;
using csv::PutEscaped;
using csv::ValueShape;

// Writes rows cell by cell as the findings are visited. Columns a kind does not have are
// empty; the __mv_ cells follow the plain ones. In the sizing pass (`sizing`) the __mv_
// columns are not known yet: each list of two or more values marks its column and has its
// __mv_ text counted where it is visited; the caller adds the separators of those columns.
template <class Out>
class RowEmitter final : public detect::FieldVisitor {
 public:
  RowEmitter(Layout* layout, Out* out, bool sizing) : layout_(layout), out_(out), sizing_(sizing) {}

  void Row(const detect::BulkFinding& f) {
    Begin(kBulk);
    detect::VisitBulk(f, this);
    End();
  }
  void Row(const detect::ChainFinding& f) {
    Begin(kChain);
    detect::VisitChain(f, this);
    End();
  }

  void Text(std::string_view, std::string_view value) override {
    Cell();
    PutCell(value, out_);
  }
  void List(std::string_view, std::span<const std::string_view> values) override {
    const uint32_t column = Cell();
    if (values.size() < 2) {
      PutCell(values.empty() ? std::string_view() : values[0], out_);
      return;
    }
    // Plain column: the values joined by LF, so always quoted.
    const size_t first = values_.size();
    bool special = false;
    out_->Put('"');
    for (size_t i = 0; i < values.size(); ++i) {
      const ValueShape shape = Inspect(values[i]);
      values_.push_back(values[i]);
      shapes_.push_back(shape);
      special |= shape.special;
      if (i > 0) out_->Put('\n');
      PutEscaped(values[i], shape.quotes != 0, out_);
    }
    out_->Put('"');
    lists_.push_back({column, first, values.size(), special});
    if (sizing_) {
      layout_->multi[column] = true;
      PutMultivalue(lists_.back());
    }
  }
  void Time(std::string_view name, TimeMs t) override {
    char buf[kEpochSecondsChars];
    Text(name, FormatEpochSeconds(t, buf));
  }
  void Int(std::string_view name, int64_t v) override {
    char buf[24];
    char* end = std::to_chars(buf, buf + sizeof buf, v).ptr;
    Text(name, std::string_view(buf, static_cast<size_t>(end - buf)));
  }
  void Bool(std::string_view name, bool v) override { Text(name, v ? "true" : "false"); }

  uint64_t rows() const { return rows_; }

 private:
  struct ListCell {
    uint32_t column;
    size_t first, count;  // in values_ / shapes_
    bool special;         // some value forces quoting
  };

  void Begin(Kind kind) {
    kind_ = kind;
    pos_ = 0;
    next_ = 0;
    lists_.clear();
    values_.clear();
    shapes_.clear();
  }
  // Moves to the column of the next field (empty cells for skipped ones); returns it.
  uint32_t Cell() {
    const uint32_t column = layout_->column_of[kind_][pos_++];
    for (; next_ <= column; ++next_) {
      if (next_ > 0) out_->Put(',');
    }
    return column;
  }
  void End() {
    for (; next_ < layout_->names.size(); ++next_) {
      if (next_ > 0) out_->Put(',');
    }
    if (!sizing_) {
      for (uint32_t c = 0; c < layout_->names.size(); ++c) {
        if (!layout_->multi[c]) continue;
        out_->Put(',');
        for (const ListCell& list : lists_) {
          if (list.column == c) PutMultivalue(list);
        }
      }
    }
    out_->Put('\n');
    ++rows_;
  }
  // "$v1$;$v2$..." (csv::AppendMultivalue) as a cell: quoted when a value forces it (it
  // never starts or ends with a space).
  void PutMultivalue(const ListCell& list) {
    if (list.special) out_->Put('"');
    for (size_t i = 0; i < list.count; ++i) {
      if (i > 0) out_->Put(';');
      csv::PutMultivalueItem(values_[list.first + i], shapes_[list.first + i], list.special, out_);
    }
    if (list.special) out_->Put('"');
  }

  Layout* layout_;
  Out* out_;
  bool sizing_;
  Kind kind_ = kBulk;
  size_t pos_ = 0;
  uint32_t next_ = 0;  // the next column to write
  uint64_t rows_ = 0;
  std::vector<ListCell> lists_;  // this row's lists of two or more values
  std::vector<std::string_view> values_;
  std::vector<ValueShape> shapes_;
};

template <class Out>
void WriteHeader(const Layout& layout, Out* out) {
  for (size_t c = 0; c < layout.names.size(); ++c) {
    if (c > 0) out->Put(',');
    PutCell(layout.names[c], out);
  }
  std::string mv_name;
  for (size_t c = 0; c < layout.names.size(); ++c) {
    if (!layout.multi[c]) continue;
    mv_name.assign("__mv_").append(layout.names[c]);
    out->Put(',');
    PutCell(mv_name, out);
  }
  out->Put('\n');
}

// A finding's texts are strings all over the pool: each is a cache miss, so the texts of
// the row a few ahead are requested while this one is written.
void Prefetch(std::string_view s) { __builtin_prefetch(s.data()); }
void Prefetch(const detect::BulkFinding& f) {
  Prefetch(f.initiator);
  Prefetch(f.src);
  for (std::string_view a : f.affected_accounts) Prefetch(a);
  for (std::string_view ip : f.source_ips) Prefetch(ip);
}
void Prefetch(const detect::ChainFinding& f) {
  Prefetch(f.target_user);
  Prefetch(f.initiator_upn);
  Prefetch(f.initiator_ip);
  Prefetch(f.mfa_detail);
  Prefetch(f.signin_ip);
}

template <class Out>
void WriteRows(const detect::Findings& findings, RowEmitter<Out>* rows) {
  constexpr size_t kAhead = 4;
  auto write_all = [&](const auto& list) {
    for (size_t i = 0; i < std::min(list.size(), kAhead); ++i) Prefetch(list[i]);
    for (size_t i = 0; i < list.size(); ++i) {
      if (i + kAhead < list.size()) Prefetch(list[i + kAhead]);
      rows->Row(list[i]);
    }
  };
  write_all(findings.bulk);
  write_all(findings.chains);
}

}  // namespace

FindingsCsv::FindingsCsv(const detect::Findings* findings)
    : findings_(findings), layout_(MakeLayout(*findings)) {
  if (findings->bulk.empty() && findings->chains.empty()) return;
  CountOut count;
  RowEmitter<CountOut> rows(&layout_, &count, /*sizing=*/true);
  WriteRows(*findings, &rows);
  const uint64_t multi =
      static_cast<uint64_t>(std::count(layout_.multi.begin(), layout_.multi.end(), true));
  WriteHeader(layout_, &count);
  size_ = count.bytes() + rows.rows() * multi;
}

Status FindingsCsv::WriteTo(scp::ByteSink* sink) {
  if (size_ == 0) return Status::Ok();
  SinkOut out(sink);
  WriteHeader(layout_, &out);
  RowEmitter<SinkOut> rows(&layout_, &out, /*sizing=*/false);
  WriteRows(*findings_, &rows);
  return out.Finish();
}

void WriteFindingsCsv(const detect::Findings& findings, std::string* out) {
  FindingsCsv csv(&findings);
  out->reserve(out->size() + csv.size());
  AppendingSink sink(out);
  (void)csv.WriteTo(&sink);  // appending to a string cannot fail
}

}  // namespace vd::command
