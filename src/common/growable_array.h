#pragma once

#include <sys/mman.h>

#include <cstddef>
#include <cstring>
#include <new>
#include <span>
#include <type_traits>

namespace vd {

// An array of trivially copyable T that grows in its own mapping with mremap: the elements
// are never copied and memory once touched is never touched again. Why: the reporting
// invocation holds one event per relevant row (tens of MB), and a vector's doubling faulted
// in about twice the final size and copied it all, while a first touch of fresh memory is
// a page fault (a quarter of that invocation's time on the build VM). Advised for huge pages.
template <class T>
class GrowableArray {
  static_assert(std::is_trivially_copyable_v<T>);

 public:
  GrowableArray() = default;
  ~GrowableArray() { Unmap(); }
  GrowableArray(GrowableArray&& o) noexcept { *this = std::move(o); }
  GrowableArray& operator=(GrowableArray&& o) noexcept {
    if (this != &o) {
      Unmap();
      data_ = o.data_;
      size_ = o.size_;
      bytes_ = o.bytes_;
      o.data_ = nullptr;
      o.size_ = o.bytes_ = 0;
    }
    return *this;
  }
  GrowableArray(const GrowableArray&) = delete;
  GrowableArray& operator=(const GrowableArray&) = delete;

  // `n` more elements, value-initialized; returns the first. Throws std::bad_alloc when the
  // mapping cannot grow.
  T* Append(size_t n) {
    if ((size_ + n) * sizeof(T) > bytes_) Grow((size_ + n) * sizeof(T));
    T* first = data_ + size_;
    for (size_t i = 0; i < n; ++i) new (first + i) T();
    size_ += n;
    return first;
  }
  void push_back(const T& v) { *Append(1) = v; }

  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  T* data() { return data_; }
  const T* data() const { return data_; }
  T& operator[](size_t i) { return data_[i]; }
  const T& operator[](size_t i) const { return data_[i]; }
  std::span<const T> span() const { return {data_, size_}; }
  // Forgets the elements and gives the memory back.
  void clear() {
    Unmap();
    size_ = 0;
  }

 private:
  static constexpr size_t kFirstBytes = size_t{2} << 20;

  void Grow(size_t need) {
    size_t bytes = bytes_ == 0 ? kFirstBytes : bytes_;
    while (bytes < need) bytes *= 2;
    void* p;
    if (bytes_ == 0) {
      p = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
      // The whole mapping, so it stays one region that mremap can grow (advice on part of
      // it would split it), and the advice moves and grows with it.
      if (p != MAP_FAILED) (void)madvise(p, bytes, MADV_HUGEPAGE);
    } else {
      p = mremap(data_, bytes_, bytes, MREMAP_MAYMOVE);
    }
    if (p == MAP_FAILED) throw std::bad_alloc();
    data_ = static_cast<T*>(p);
    bytes_ = bytes;
  }
  void Unmap() {
    if (data_ != nullptr) munmap(data_, bytes_);
    data_ = nullptr;
    bytes_ = 0;
  }

  T* data_ = nullptr;
  size_t size_ = 0;
  size_t bytes_ = 0;  // mapped
};

}  // namespace vd
