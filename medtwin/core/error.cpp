#include "medtwin/core/error.hpp"

#include <cmath>

#include <fmt/format.h>

namespace medtwin {

std::string located(const std::string& file, long line, long column, const std::string& what) {
  return fmt::format("{}:{}:{}: {}", file, line, column, what);
}

std::string located(const std::string& file, long line, const std::string& what) {
  return fmt::format("{}:{}: {}", file, line, what);
}

void require_positive(double value, const std::string& what) {
  if (!(value > 0) || !std::isfinite(value)) throw Error(what + " must be a positive number");
}

}  // namespace medtwin
