// libFuzzer target for the HTTP API's request values (apps/server/request_values.hpp):
// query parameters (whole numbers, numbers, dates) and the optional fields of
// a JSON body. The first byte picks the reader, the rest is the text. Any text
// must either give a value that keeps the reader's promise or throw an
// ApiError 400 naming the parameter; nothing else may escape.
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "apps/server/request_values.hpp"

namespace {

using medtwin::server::ApiError;

void require(bool ok) {
  if (!ok) std::abort();
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

void read_whole_number(const std::string& text) {
  medtwin::server::whole_number(text, "n");
  const auto digits = text.starts_with('-') ? text.substr(1) : text;
  require(!digits.empty() && std::all_of(digits.begin(), digits.end(), is_digit));
}

void read_number(const std::string& text) { require(std::isfinite(medtwin::server::number(text, "x"))); }

void read_date(const std::string& text) {
  const std::chrono::year_month_day day(medtwin::server::date_value(text, "date"));
  require(day.year() >= std::chrono::year(1800) && day.year() <= std::chrono::year(2299));
  // A real calendar day, written as it was given.
  require(fmt::format("{:04}-{:02}-{:02}", int(day.year()), unsigned(day.month()), unsigned(day.day())) == text);
}

void read_body_fields(const std::string& text) {
  const auto body = nlohmann::json::parse(text, nullptr, false);
  if (body.is_discarded() || !body.is_object()) return;
  if (const auto drug = medtwin::server::text_field(body, "drug")) require(body["drug"] == *drug);
  if (const auto heart = medtwin::server::flag_field(body, "heart")) require(body["heart"] == *heart);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string text(reinterpret_cast<const char*>(data) + 1, size - 1);
  try {
    switch (data[0] % 4) {
      case 0: read_whole_number(text); break;
      case 1: read_number(text); break;
      case 2: read_date(text); break;
      default: read_body_fields(text); break;
    }
  } catch (const ApiError& e) {
    require(e.status == 400 && std::string(e.what()).find(':') != std::string::npos);
  }
  return 0;
}
