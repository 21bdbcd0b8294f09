#pragma once

// In-memory ByteSource / ByteSink for tests, fuzzing and benchmarks (leveldb's
// log_test.cc StringSource and StringDest).

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "scp/byte_io.h"

namespace vd::scp {

// max_read caps every Read() to exercise short reads.
class StringSource : public ByteSource {
 public:
  explicit StringSource(std::string data, size_t max_read = SIZE_MAX)
      : data_(std::move(data)), max_read_(max_read) {}
  Status Read(char* buf, size_t n, size_t* got) override {
    size_t take = std::min({n, max_read_, data_.size() - pos_});
    std::memcpy(buf, data_.data() + pos_, take);
    pos_ += take;
    *got = take;
    return Status::Ok();
  }
  size_t remaining() const { return data_.size() - pos_; }

 private:
  std::string data_;
  size_t pos_ = 0;
  size_t max_read_;
};

class StringSink : public ByteSink {
 public:
  Status Write(std::string_view a, std::string_view b = {}, std::string_view c = {}) override {
    data_.append(a);
    data_.append(b);
    data_.append(c);
    return Status::Ok();
  }
  const std::string& data() const { return data_; }
  std::string& data() { return data_; }

 private:
  std::string data_;
};

}  // namespace vd::scp
