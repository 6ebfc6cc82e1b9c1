// Who may see what through the HTTP API. A server on the loopback address
// without a token is the local user's own: it answers every request from this
// machine (and refuses other Host names, so a web page cannot reach it by DNS
// rebinding). Otherwise every request needs `Authorization: Bearer TOKEN`:
// the server's token, or a token kept in the store, which opens one person's
// data alone or everything.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "medtwin/store/store.hpp"

namespace medtwin::server {

// What a request may see: everything, or one person.
struct Caller {
  std::optional<PersonId> only_person;
  bool may_see(PersonId person) const { return !only_person || *only_person == person; }
  bool sees_everyone() const { return !only_person; }
};

// A new random token (256 bits from the system's random source, as hex).
std::string new_token();
std::string token_digest(std::string_view token);

// Makes a token for one person (or everyone) and keeps its digest in `store`;
// returns the token, which is not kept anywhere.
std::string issue_token(Store& store, std::optional<PersonId> person, const std::string& label);

class Gate {
 public:
  // `server_token`: none means open to this machine (only allowed when `bound_host` is loopback).
  Gate(std::optional<std::string> server_token, const std::string& bound_host);

  // The caller behind the request's headers, or none when it must be refused
  // (the reason in `refusal`: 401 or 403).
  std::optional<Caller> admit(std::string_view authorization, std::string_view host, Store& store, int& refusal) const;

  bool open() const { return !server_digest_; }

 private:
  bool local_host(std::string_view host) const;

  std::optional<std::string> server_digest_;
  std::string bound_host_;
};

// Whether `host` (as in --listen) is "localhost" or a loopback address
// (127.0.0.0/8, ::1). Other names are not resolved: they count as not loopback.
bool is_loopback(const std::string& host);

}  // namespace medtwin::server
