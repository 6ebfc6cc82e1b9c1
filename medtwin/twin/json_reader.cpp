#include "medtwin/twin/json_reader.hpp"

#include <cmath>

#include "medtwin/core/error.hpp"

namespace medtwin {

using nlohmann::json;

json JsonReader::parse(std::string_view text) const {
  try {
    return json::parse(text);
  } catch (const json::exception& e) {  // syntax, and numbers too large to represent
    throw ParseError(file_ + ": not valid JSON (" + e.what() + ")");
  }
}

void JsonReader::fail(const std::string& path, const std::string& what) const {
  throw ParseError(file_ + ": " + path + ": " + what);
}

void JsonReader::only_keys(const json& object, const std::string& path, std::initializer_list<const char*> keys) const {
  if (!object.is_object()) fail(path, "expected an object");
  for (const auto& [key, value] : object.items()) {
    bool known = false;
    for (const char* k : keys) known = known || key == k;
    if (!known) {
      std::string list;
      for (const char* k : keys) list += (list.empty() ? "" : ", ") + std::string(k);
      fail(path.empty() ? key : path + "." + key, "unknown key (known: " + list + ")");
    }
  }
}

double JsonReader::number(const json& object, const char* key, const std::string& path) const {
  if (!object.contains(key)) fail(path, std::string("missing ") + key);
  const json& v = object.at(key);
  if (!v.is_number() || !std::isfinite(v.get<double>())) fail(join(path, key), "expected a number");
  return v.get<double>();
}

std::string JsonReader::text(const json& object, const char* key, const std::string& path) const {
  if (!object.contains(key)) fail(path, std::string("missing ") + key);
  const json& v = object.at(key);
  if (!v.is_string() || v.get<std::string>().empty()) fail(join(path, key), "expected a name");
  return v.get<std::string>();
}

}  // namespace medtwin
