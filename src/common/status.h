#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace vd {

// Errors as values (shape of leveldb's Status). OK carries no allocation.
class [[nodiscard]] Status {
 public:
  enum class Code : uint8_t {
    kOk,
    kEndOfStream,  // clean EOF before any byte of a message
    kPartial,      // EOF inside a message
    kProtocol,     // framing / metadata violates the protocol
    kParse,        // malformed data (JSON, CSV, XML, time, ...)
    kInvalidArgument,
    kIo,
    kTimeout,
    kLimit,  // a size or count limit was exceeded
    kNotFound,
    kRemote,  // the peer answered with an error
  };

  Status() = default;
  static Status Ok() { return {}; }
  static Status EndOfStream() { return {Code::kEndOfStream, "end of stream"}; }
  static Status Partial(std::string_view msg) { return {Code::kPartial, msg}; }
  static Status Protocol(std::string_view msg) { return {Code::kProtocol, msg}; }
  static Status Parse(std::string_view msg) { return {Code::kParse, msg}; }
  static Status InvalidArgument(std::string_view msg) { return {Code::kInvalidArgument, msg}; }
  static Status Io(std::string_view msg) { return {Code::kIo, msg}; }
  static Status Timeout(std::string_view msg) { return {Code::kTimeout, msg}; }
  static Status Limit(std::string_view msg) { return {Code::kLimit, msg}; }
  static Status NotFound(std::string_view msg) { return {Code::kNotFound, msg}; }
  static Status Remote(std::string_view msg) { return {Code::kRemote, msg}; }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }

 private:
  Status(Code code, std::string_view msg) : code_(code), message_(msg) {}
  Code code_ = Code::kOk;
  std::string message_;
};

// A value or the Status saying why there is none (until std::expected, C++23).
template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}         // NOLINT(google-explicit-constructor)
  Result(Status status) : v_(std::move(status)) {}  // NOLINT(google-explicit-constructor)
  bool ok() const { return std::holds_alternative<T>(v_); }
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  Status status() const { return ok() ? Status() : std::get<Status>(v_); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace vd
