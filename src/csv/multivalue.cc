#include "csv/multivalue.h"

#include <cstddef>

#include "csv/cell_encoder.h"

namespace vd::csv {

void AppendMultivalueItem(std::string_view value, std::string* mv) {
  StringOut out(mv);
  PutMultivalueItem(value, Inspect(value), /*in_quotes=*/false, &out);
}

void AppendMultivalue(std::span<const std::string_view> values, std::string* plain,
                      std::string* mv) {
  for (size_t i = 0; i < values.size(); ++i) {
    if (i > 0) plain->push_back('\n');
    plain->append(values[i]);
  }
  if (values.size() < 2) return;
  for (size_t i = 0; i < values.size(); ++i) {
    if (i > 0) mv->push_back(';');
    AppendMultivalueItem(values[i], mv);
  }
}

void EncodeMultivalue(std::span<const std::string_view> values, std::string* plain,
                      std::string* mv) {
  plain->clear();
  mv->clear();
  AppendMultivalue(values, plain, mv);
}

namespace {

// Why this is not a naive regex emulation: after a failed attempt Python's findall
// retries one byte later, which is quadratic on long '$' runs. The regex's behaviour
// depends only on runs of '$', so we reason per run instead.
//
// From a start '$' at s, the greedy item (?:\$\$|[^$])* eats non-'$' bytes and '$'
// pairs; it stops at the last '$' of the first run whose remaining length is odd.
// Backtracking never helps: every earlier boundary is followed by a '$' pair or a
// non-'$' byte, so "\$(?:;|$)" cannot match there. Hence a start matches iff the
// greedy stop q exists and q + 1 is ';', the end, or the final '\n' (Python's '$'
// also matches before a trailing newline).
class Decoder {
 public:
  explicit Decoder(std::string_view s) : s_(s), n_(s.size()) {}

  void Run(std::vector<std::string>* values) {
    size_t pos = 0;
    while (pos < n_) {
      size_t r = s_.find('$', pos);
      if (r == std::string_view::npos) return;
      size_t e = RunEnd(r);
      size_t len = e - r + 1;
      // Starts r and r + 1 cover both parities; later starts in the run repeat them.
      size_t start = std::string_view::npos, stop = 0;
      if (len % 2 == 0) {  // from r: odd remainder, stops at e
        if (Terminates(e + 1)) {
          start = r, stop = e;
        } else if (size_t q = NextOddRunEnd(e); q != kNone && Terminates(q + 1)) {
          start = r + 1, stop = q;
        }
      } else {  // from r: even remainder, runs on to the next odd run
        if (size_t q = NextOddRunEnd(e); q != kNone && Terminates(q + 1)) {
          start = r, stop = q;
        } else if (len >= 3 && Terminates(e + 1)) {
          start = r + 1, stop = e;
        }
      }
      if (start == std::string_view::npos) {
        pos = e + 1;
        continue;
      }
      values->push_back(Unescape(s_.substr(start + 1, stop - start - 1)));
      pos = (stop + 1 < n_ && s_[stop + 1] == ';') ? stop + 2 : stop + 1;
    }
  }

 private:
  static constexpr size_t kNone = static_cast<size_t>(-1);

  size_t RunEnd(size_t r) const {
    while (r + 1 < n_ && s_[r + 1] == '$') ++r;
    return r;
  }

  bool Terminates(size_t p) const {
    return p == n_ || s_[p] == ';' || (p + 1 == n_ && s_[p] == '\n');
  }

  // End of the first odd-length '$' run starting after position e, or kNone. Queries
  // come with increasing e, so the answer is cached to keep the whole decode linear.
  size_t NextOddRunEnd(size_t e) {
    if (cache_valid_ && e + 1 >= cache_from_ && (cache_end_ == kNone || cache_start_ > e)) {
      return cache_end_;
    }
    cache_valid_ = true;
    cache_from_ = e + 1;
    size_t p = e + 1;
    while (true) {
      size_t r = s_.find('$', p);
      if (r == std::string_view::npos) {
        cache_end_ = kNone;
        return kNone;
      }
      size_t end = RunEnd(r);
      if ((end - r + 1) % 2 == 1) {
        cache_start_ = r;
        cache_end_ = end;
        return end;
      }
      p = end + 1;
    }
  }

  static std::string Unescape(std::string_view item) {
    std::string out;
    out.reserve(item.size());
    for (size_t i = 0; i < item.size(); ++i) {
      out.push_back(item[i]);
      if (item[i] == '$') ++i;  // the item holds '$' only in pairs
    }
    return out;
  }

  std::string_view s_;
  size_t n_;
  bool cache_valid_ = false;
  size_t cache_from_ = 0, cache_start_ = 0, cache_end_ = 0;
};

}  // namespace

bool DecodeMultivalue(std::string_view mv, std::vector<std::string>* values) {
  values->clear();
  if (mv.empty()) return true;
  Decoder(mv).Run(values);
  return !values->empty();
}

}  // namespace vd::csv
