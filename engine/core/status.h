// Status: why an operation failed. Expected failures are values, not exceptions;
// library exceptions (Poco, Boost, SQLite) are caught in the adapter that calls the
// library and converted to a Status there.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

namespace sunshine {

// Codes are stable: they reach the audit log, JSON output and exit codes.
enum class StatusCode : std::uint8_t {
  kOk,
  kInvalidInput,  // the user's input (file, option, value) is wrong
  kNotFound,
  kAlreadyExists,
  kOnLegalHold,  // a hold blocks the change
  kCorruption,   // stored bytes or the audit chain do not verify
  kIoError,
  kBusy,  // another process holds the lock
  kFailedPrecondition,
  kInternal,  // a bug
};

std::string_view StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;

  static Status InvalidInput(std::string message) {
    return {StatusCode::kInvalidInput, std::move(message)};
  }
  static Status NotFound(std::string message) {
    return {StatusCode::kNotFound, std::move(message)};
  }
  static Status AlreadyExists(std::string message) {
    return {StatusCode::kAlreadyExists, std::move(message)};
  }
  static Status OnLegalHold(std::string message) {
    return {StatusCode::kOnLegalHold, std::move(message)};
  }
  static Status Corruption(std::string message) {
    return {StatusCode::kCorruption, std::move(message)};
  }
  static Status IoError(std::string message) { return {StatusCode::kIoError, std::move(message)}; }
  static Status Busy(std::string message) { return {StatusCode::kBusy, std::move(message)}; }
  static Status FailedPrecondition(std::string message) {
    return {StatusCode::kFailedPrecondition, std::move(message)};
  }
  static Status Internal(std::string message) {
    return {StatusCode::kInternal, std::move(message)};
  }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }

  // Prefixes the message with where it happened: "inbox.mbox#17: " + message.
  Status WithContext(std::string_view where) const;
  // "invalid input: inbox.mbox#17: ..." ("OK" when ok).
  std::string ToString() const;

 private:
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

}  // namespace sunshine

#define SUNSHINE_STATUS_CONCAT_INNER(a, b) a##b
#define SUNSHINE_STATUS_CONCAT(a, b) SUNSHINE_STATUS_CONCAT_INNER(a, b)

// Returns the Status from the enclosing function if `expr` is not OK.
#define SUNSHINE_RETURN_IF_ERROR(expr)                           \
  do {                                                           \
    ::sunshine::Status sunshine_status_tmp_ = (expr);            \
    if (!sunshine_status_tmp_.ok()) return sunshine_status_tmp_; \
  } while (false)
