// Reading the project's own JSON files (scenarios, timelines, plans) with
// errors that name the file and the JSON path of the problem
// ("visits[1].date"), and no silently ignored keys.
#pragma once

#include <initializer_list>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace medtwin {

class JsonReader {
 public:
  explicit JsonReader(std::string file) : file_(std::move(file)) {}

  // Parses `text`; throws ParseError naming the file when it is not JSON.
  nlohmann::json parse(std::string_view text) const;

  [[noreturn]] void fail(const std::string& path, const std::string& what) const;
  // Throws unless `object` is an object whose keys are all among `keys`.
  void only_keys(const nlohmann::json& object, const std::string& path, std::initializer_list<const char*> keys) const;
  // A finite number at object[key]; missing or of another type: an error.
  double number(const nlohmann::json& object, const char* key, const std::string& path) const;
  // A non-empty string at object[key] (a name, a date, a file).
  std::string text(const nlohmann::json& object, const char* key, const std::string& path) const;

  static std::string join(const std::string& path, const char* key) {
    return path.empty() ? std::string(key) : path + "." + key;
  }
  static std::string item(const std::string& path, std::size_t index) { return path + "[" + std::to_string(index) + "]"; }

 private:
  std::string file_;
};

}  // namespace medtwin
