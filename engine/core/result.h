// Result<T>: a T or a non-OK Status. Shaped like std::expected<T, Status> so that C++23
// can replace it without touching callers.
#pragma once

#include <cassert>
#include <optional>
#include <utility>

#include "engine/core/status.h"

namespace sunshine {

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}       // NOLINT(google-explicit-constructor)
  Result(Status error) : status_(std::move(error)) {  // NOLINT(google-explicit-constructor)
    assert(!status_.ok() && "Result constructed from an OK status without a value");
    if (status_.ok()) {
      status_ = Status::Internal("Result constructed from OK status without value");
    }
  }

  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }

  const T& value() const& {
    assert(ok());
    return *value_;
  }
  T& value() & {
    assert(ok());
    return *value_;
  }
  T&& value() && {
    assert(ok());
    return std::move(*value_);
  }
  const T& operator*() const& { return value(); }
  T& operator*() & { return value(); }
  const T* operator->() const { return &value(); }
  T* operator->() { return &value(); }

 private:
  std::optional<T> value_;
  Status status_;
};

}  // namespace sunshine

// Evaluates `expr` (a Result<T>); on error returns its Status, else moves the value into `lhs`.
#define SUNSHINE_ASSIGN_OR_RETURN(lhs, expr)                            \
  auto SUNSHINE_STATUS_CONCAT(sunshine_result_, __LINE__) = (expr);     \
  if (!SUNSHINE_STATUS_CONCAT(sunshine_result_, __LINE__).ok())         \
    return SUNSHINE_STATUS_CONCAT(sunshine_result_, __LINE__).status(); \
  lhs = std::move(SUNSHINE_STATUS_CONCAT(sunshine_result_, __LINE__)).value()
