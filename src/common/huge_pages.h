#pragma once

#include <algorithm>
#include <cstddef>
#include <iterator>
#include <vector>

namespace vd {

// Asks the kernel to back the whole 2 MiB pages inside [data, data + bytes) with transparent
// huge pages when they are first touched (madvise MADV_HUGEPAGE; ignored where THP is off or
// unsupported, and for spans under kHugePageAdviceMin). Why: the reporting invocation fills
// hundreds of MB of fresh memory (the events, the string pool, the findings CSV), and a first
// touch per 4 KiB page was a quarter of its CPU on the build VM (a fault costs ~12 us under
// its paravirtualized MMU; 64 MB took 0.19 s, with huge pages 0.01-0.03 s). Advice only: the
// contents and every address stay the same.
inline constexpr size_t kHugePageAdviceMin = size_t{4} << 20;
void AdviseHugePages(const void* data, size_t bytes);

// Reserves room for at least `n` elements (doubling, as push_back would) in a buffer advised
// before anything touches it, the elements moved over included. For vectors that grow to
// tens of MB.
template <typename T>
void ReserveHuge(std::vector<T>* v, size_t n) {
  if (n <= v->capacity()) return;
  std::vector<T> bigger;
  bigger.reserve(std::max(n, 2 * v->capacity()));
  AdviseHugePages(bigger.data(), bigger.capacity() * sizeof(T));
  bigger.insert(bigger.end(), std::make_move_iterator(v->begin()),
                std::make_move_iterator(v->end()));
  v->swap(bigger);
}

// A vector of `n` copies of `value` in a buffer advised before it is filled: the analysis'
// scratch tables indexed by event or by string id.
template <typename T>
std::vector<T> HugeVector(size_t n, const T& value = T()) {
  std::vector<T> v;
  v.reserve(n);
  AdviseHugePages(v.data(), n * sizeof(T));
  v.assign(n, value);
  return v;
}

}  // namespace vd
