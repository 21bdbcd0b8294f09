#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "events/row.h"

namespace vd::events {

// Splits one multivalue field into its values. Prefers the __mv_ encoding ($v1$;$v2$,
// '$' doubled inside a value) because a value may itself hold '\n' (O365 ModifiedProperties
// values carry "\r\n"); falls back to splitting the plain column on '\n'. Storage is
// reused between calls, so a warmed-up splitter does not allocate. The views are valid
// until the next Split().
class MvSplitter {
 public:
  // Returns the number of values. An empty field has no values.
  size_t Split(Cells cells, MvColumn column);
  size_t Split(std::string_view plain, std::string_view encoded);

  size_t size() const { return values_.size(); }
  std::string_view operator[](size_t i) const { return values_[i]; }
  const std::vector<std::string_view>& values() const { return values_; }

  // The first value equal (ASCII case-insensitively) to `v`, or npos.
  size_t IndexOf(std::string_view v) const;

 private:
  bool DecodeEncoded(std::string_view encoded);
  std::vector<std::string_view> values_;
  std::vector<std::pair<size_t, size_t>> spans_;
  std::string decoded_;
};

}  // namespace vd::events
