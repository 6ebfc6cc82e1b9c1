// Errors raised at module boundaries. Every message should let a user act:
// which file, line or field, and what was expected instead.
#pragma once

#include <stdexcept>
#include <string>

namespace medtwin {

class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Input that cannot be read as the format it claims to be.
class ParseError : public Error {
 public:
  using Error::Error;
};

// A person, series, signal or file that does not exist.
class NotFound : public Error {
 public:
  using Error::Error;
};

// The store cannot be opened, read or written.
class StoreError : public Error {
 public:
  using Error::Error;
};

// Too little data for a model or metric: "not enough history for X (needs N
// days, has M)". Never answered with a made-up result.
class NotEnoughData : public Error {
 public:
  using Error::Error;
};

// "FILE:LINE:COLUMN: what" — the one shape of location in parse errors.
std::string located(const std::string& file, long line, long column, const std::string& what);
std::string located(const std::string& file, long line, const std::string& what);

// Throws Error("<what> must be a positive number") unless value > 0 and finite.
void require_positive(double value, const std::string& what);

}  // namespace medtwin
