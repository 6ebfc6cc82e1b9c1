#include "apps/server/access.hpp"

#include <fmt/format.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <algorithm>
#include <cctype>
#include <random>

#include "medtwin/core/error.hpp"
#include "medtwin/core/time.hpp"
#include "medtwin/io/file_hash.hpp"

namespace medtwin::server {
namespace {

constexpr std::string_view kBearer = "Bearer ";
constexpr std::size_t kTokenIdLength = 8;  // of the digest: enough to tell tokens apart when listing

// Constant-time comparison: the time taken tells nothing of how much matched.
bool same(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (std::size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

// The authentication scheme's name is case-insensitive (RFC 9110 11.1).
bool same_ignoring_case(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

}  // namespace

std::string new_token() {
  std::random_device random;  // the system's random source (/dev/urandom)
  std::string token;
  for (int i = 0; i < 8; ++i) token += fmt::format("{:08x}", random());
  return token;
}

std::string token_digest(std::string_view token) { return sha256_files({}, token); }

std::string issue_token(Store& store, std::optional<PersonId> person, const std::string& label) {
  const auto token = new_token();
  const auto digest = token_digest(token);
  store.save_access_token({digest.substr(0, kTokenIdLength), digest, person, label, current_instant()});
  return token;
}

Gate::Gate(std::optional<std::string> server_token, const std::string& bound_host) : bound_host_(bound_host) {
  if (server_token) {
    if (server_token->size() < 16) throw Error("the server's token (--token or $MEDTWIN_TOKEN): at least 16 characters");
    server_digest_ = token_digest(*server_token);
  } else if (!is_loopback(bound_host)) {
    throw Error("--listen: a server on an address other than loopback needs a token");
  }
}

bool is_loopback(const std::string& host) {
  if (host == "localhost") return true;
  in_addr v4{};
  if (inet_pton(AF_INET, host.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;
  in6_addr v6{};
  return inet_pton(AF_INET6, host.c_str(), &v6) == 1 && IN6_IS_ADDR_LOOPBACK(&v6);
}

// The Host header's name (without the port) is this machine's loopback name
// or the address the server is bound to.
bool Gate::local_host(std::string_view host) const {
  const bool bracketed = host.starts_with("[");
  const auto colon = bracketed ? host.find("]:") : host.rfind(':');
  auto name = colon == std::string_view::npos ? host : host.substr(0, colon + (bracketed ? 1 : 0));
  if (bracketed && name.ends_with("]")) name = name.substr(1, name.size() - 2);
  return name == bound_host_ || is_loopback(std::string(name));
}

std::optional<Caller> Gate::admit(std::string_view authorization, std::string_view host, Store& store,
                                  int& refusal) const {
  if (open()) {
    if (local_host(host)) return Caller{};
    refusal = 403;
    return std::nullopt;
  }
  refusal = 401;
  if (authorization.size() <= kBearer.size() || !same_ignoring_case(authorization.substr(0, kBearer.size()), kBearer))
    return std::nullopt;
  const auto digest = token_digest(authorization.substr(kBearer.size()));
  if (same(digest, *server_digest_)) return Caller{};
  if (const auto token = store.find_access_token_by_digest(digest)) return Caller{token->person};
  return std::nullopt;
}

}  // namespace medtwin::server
