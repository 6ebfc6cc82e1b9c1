#include "medtwin/io/fhir_json.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "medtwin/core/error.hpp"

namespace medtwin::json {
namespace {

const char* type_name(simdjson::dom::element_type type) {
  using T = simdjson::dom::element_type;
  switch (type) {
    case T::ARRAY: return "an array";
    case T::OBJECT: return "an object";
    case T::INT64:
    case T::UINT64:
    case T::DOUBLE: return "a number";
    case T::STRING: return "a string";
    case T::BOOL: return "a boolean";
    case T::NULL_VALUE: return "null";
  }
  return "a value";
}

}  // namespace

std::optional<element> Node::any(std::string_view key) const {
  element value;
  if (value_[key].get(value) != simdjson::SUCCESS || value.is_null()) return std::nullopt;
  return value;
}

std::optional<std::string_view> Node::str(std::string_view key) const {
  auto value = any(key);
  if (!value) return std::nullopt;
  std::string_view text;
  if (value->get(text) != simdjson::SUCCESS) fail(key, fmt::format("expected a string, found {}", type_name(value->type())));
  return text;
}

std::optional<double> Node::num(std::string_view key) const {
  auto value = any(key);
  if (!value) return std::nullopt;
  double number;
  if (value->get(number) != simdjson::SUCCESS) fail(key, fmt::format("expected a number, found {}", type_name(value->type())));
  return number;
}

std::optional<bool> Node::boolean(std::string_view key) const {
  auto value = any(key);
  if (!value) return std::nullopt;
  bool flag;
  if (value->get(flag) != simdjson::SUCCESS) fail(key, fmt::format("expected true or false, found {}", type_name(value->type())));
  return flag;
}

std::optional<Node> Node::obj(std::string_view key) const {
  auto value = any(key);
  if (!value) return std::nullopt;
  object child;
  if (value->get(child) != simdjson::SUCCESS) fail(key, fmt::format("expected an object, found {}", type_name(value->type())));
  return Node(child, this, key, -1);
}

std::optional<array> Node::arr(std::string_view key) const {
  auto value = any(key);
  if (!value) return std::nullopt;
  array list;
  if (value->get(list) != simdjson::SUCCESS) fail(key, fmt::format("expected an array, found {}", type_name(value->type())));
  return list;
}

std::optional<Node> Node::at(std::string_view key, std::size_t index) const {
  auto list = arr(key);
  if (!list) return std::nullopt;
  element item;
  if (list->at(index).get(item) != simdjson::SUCCESS) return std::nullopt;
  object child;
  if (item.get(child) != simdjson::SUCCESS) {
    fail(fmt::format("{}[{}]", key, index), fmt::format("expected an object, found {}", type_name(item.type())));
  }
  return Node(child, this, key, long(index));
}

void Node::each(std::string_view key, const std::function<void(const Node&)>& visit) const {
  auto list = arr(key);
  if (!list) return;
  long index = 0;
  for (element item : *list) {
    object child;
    if (item.get(child) != simdjson::SUCCESS) {
      fail(fmt::format("{}[{}]", key, index), fmt::format("expected an object, found {}", type_name(item.type())));
    }
    visit(Node(child, this, key, index));
    ++index;
  }
}

std::string Node::path() const {
  if (!parent_) return "";
  std::string above = parent_->path();
  std::string self = index_ >= 0 ? fmt::format("{}[{}]", key_, index_) : std::string(key_);
  return above.empty() ? self : above + "." + self;
}

std::string Node::where() const {
  const Node* root = this;
  while (root->parent_) root = root->parent_;
  std::string origin = root->origin_ ? root->origin_->describe() : std::string("JSON");
  std::string field = path();
  return field.empty() ? origin : fmt::format("{}: {}", origin, field);
}

void Node::fail(std::string_view key, const std::string& what) const {
  std::string at = where();
  if (!key.empty()) at += (parent_ ? "." : ": ") + std::string(key);
  throw ParseError(fmt::format("{}: {}", at, what));
}

bool JsonHead::has(std::string_view key) const { return std::find(keys.begin(), keys.end(), key) != keys.end(); }

std::optional<JsonHead> sniff_json_head(std::string_view head) {
  head.remove_prefix(bom_length(head));
  std::size_t i = 0;
  auto skip_space = [&] {
    while (i < head.size() && (head[i] == ' ' || head[i] == '\n' || head[i] == '\r' || head[i] == '\t')) ++i;
  };
  JsonHead out;
  skip_space();
  if (i < head.size() && head[i] == '[') {
    out.in_array = true;
    ++i;
    skip_space();
  }
  if (i >= head.size() || head[i] != '{') return std::nullopt;
  // Walk the first object: strings (with escapes) and nesting; a string at
  // depth 1 followed by ':' is a key.
  int depth = 0;
  while (i < head.size()) {
    char c = head[i++];
    if (c == '"') {
      std::size_t start = i;
      while (i < head.size() && head[i] != '"') i += head[i] == '\\' ? 2 : 1;
      if (i >= head.size()) break;
      std::string_view text = head.substr(start, i - start);
      ++i;
      skip_space();
      if (depth == 1 && i < head.size() && head[i] == ':') out.keys.emplace_back(text);
    } else if (c == '{' || c == '[') {
      ++depth;
    } else if (c == '}' || c == ']') {
      if (--depth == 0) {
        out.complete = true;
        break;
      }
    }
  }
  return out;
}

std::size_t bom_length(std::string_view text) { return text.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0; }

std::string describe(simdjson::error_code error) {
  switch (error) {
    case simdjson::EMPTY: return "the file is empty";
    case simdjson::TAPE_ERROR:
    case simdjson::INCOMPLETE_ARRAY_OR_OBJECT: return "invalid or truncated JSON (unbalanced braces or brackets)";
    case simdjson::UNCLOSED_STRING: return "invalid or truncated JSON (a string is not closed)";
    default: return fmt::format("invalid JSON ({})", simdjson::error_message(error));
  }
}

}  // namespace medtwin::json
