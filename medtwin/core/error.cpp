#include "medtwin/core/error.hpp"

#include <fmt/format.h>

namespace medtwin {

std::string located(const std::string& file, long line, long column, const std::string& what) {
  return fmt::format("{}:{}:{}: {}", file, line, column, what);
}

std::string located(const std::string& file, long line, const std::string& what) {
  return fmt::format("{}:{}: {}", file, line, what);
}

}  // namespace medtwin
