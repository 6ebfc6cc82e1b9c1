#include "medtwin/io/file_hash.hpp"

#include <fmt/format.h>
#include <openssl/evp.h>

#include <fstream>
#include <memory>

#include "medtwin/core/error.hpp"

namespace medtwin {

std::string sha256_files(const std::vector<std::filesystem::path>& files, std::string_view suffix) {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1) throw Error("SHA-256 is unavailable");
  std::vector<char> buffer(1 << 20);
  for (const auto& file : files) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw NotFound(fmt::format("{}: cannot open file", file.string()));
    while (in) {
      in.read(buffer.data(), std::streamsize(buffer.size()));
      EVP_DigestUpdate(ctx.get(), buffer.data(), std::size_t(in.gcount()));
    }
    if (in.bad()) throw Error(fmt::format("{}: read error", file.string()));
  }
  EVP_DigestUpdate(ctx.get(), suffix.data(), suffix.size());
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_DigestFinal_ex(ctx.get(), digest, &length);
  std::string hex;
  for (unsigned int i = 0; i < length; ++i) hex += fmt::format("{:02x}", digest[i]);
  return hex;
}

}  // namespace medtwin
