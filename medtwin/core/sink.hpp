// What importers write into. Importers stream records here as they read, so
// a multi-gigabyte file never has to fit in memory; the receiver (an import
// transaction of the store, a test's collector) decides what to keep.
#pragma once

#include <string>

#include "medtwin/core/records.hpp"

namespace medtwin {

// Something an importer noticed and did not treat as fatal.
struct ImportIssue {
  enum class Kind { skipped_record, unknown_unit, unknown_type, note };
  Kind kind;
  std::string where;  // file, line or field
  std::string what;
};

class RecordSink {
 public:
  virtual ~RecordSink() = default;
  // Records after this call belong to this person, until the next call.
  // Importers whose source names no subject need not call it.
  virtual void person(const PersonInfo& info) = 0;
  // From `from` on, the person lives in IANA zone `tz`.
  virtual void time_zone(Instant from, const std::string& tz) = 0;
  virtual void observation(const Observation& obs) = 0;
  virtual void signal(const Signal& signal) = 0;
  virtual void event(const Event& event) = 0;
  virtual void issue(const ImportIssue& issue) = 0;
};

}  // namespace medtwin
