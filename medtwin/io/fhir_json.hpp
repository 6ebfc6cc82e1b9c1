// JSON plumbing shared by the FHIR R4 and Open mHealth readers: typed access
// to simdjson DOM objects that names the offending field in errors, and a
// sniffer for the top-level keys of a file's first bytes (for `accepts`).
#pragma once

#include <simdjson.h>

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace medtwin::json {

using simdjson::dom::array;
using simdjson::dom::element;
using simdjson::dom::object;

// Says, for errors, which document or record a root object is
// ("data.ndjson:3: Observation/abc"); asked only when an error is raised.
class Origin {
 public:
  virtual ~Origin() = default;
  virtual std::string describe() const = 0;
};

// A JSON object and the path that led to it. The path is built only when an
// error names it, so walking a document costs no string work. Children point
// to their parent: keep a parent alive while its children are used.
class Node {
 public:
  Node(object value, const Origin& origin) : value_(value), origin_(&origin) {}

  // Field accessors: nullopt when the key is absent or null; ParseError naming
  // the field when it holds another type.
  std::optional<std::string_view> str(std::string_view key) const;
  std::optional<double> num(std::string_view key) const;
  std::optional<bool> boolean(std::string_view key) const;
  std::optional<Node> obj(std::string_view key) const;
  std::optional<array> arr(std::string_view key) const;
  std::optional<element> any(std::string_view key) const;

  // The object at `index` of the array at `key` (nullopt past the end; error
  // when it is not an object).
  std::optional<Node> at(std::string_view key, std::size_t index) const;
  // Calls `visit` with every object of the array at `key` (error for non-objects).
  void each(std::string_view key, const std::function<void(const Node&)>& visit) const;

  object raw() const { return value_; }
  // "component[1].valueQuantity" below the root; "" for the root.
  std::string path() const;
  // "<origin>: <path>", for issues raised about this object.
  std::string where() const;
  // Throws ParseError "<origin>: <path>.<key>: <what>".
  [[noreturn]] void fail(std::string_view key, const std::string& what) const;

 private:
  Node(object value, const Node* parent, std::string_view key, long index)
      : value_(value), parent_(parent), key_(key), index_(index) {}

  object value_;
  const Node* parent_ = nullptr;
  const Origin* origin_ = nullptr;
  std::string_view key_;
  long index_ = -1;
};

// What the first bytes of a JSON file show: the keys of its first object
// (at the top level, or the first element of a top-level array).
struct JsonHead {
  bool in_array = false;             // the document is an array of objects
  bool complete = false;             // the first object closed within the head
  std::vector<std::string> keys;     // its keys, in order, as written
  bool has(std::string_view key) const;
};
// nullopt when the head does not start (after a BOM and whitespace) with an object or an array of objects.
std::optional<JsonHead> sniff_json_head(std::string_view head);

// Bytes of a UTF-8 byte-order mark at the start of `text` (3 or 0); JSON parsers reject it.
std::size_t bom_length(std::string_view text);

// Message for a simdjson error code, for ParseErrors.
std::string describe(simdjson::error_code error);

}  // namespace medtwin::json
