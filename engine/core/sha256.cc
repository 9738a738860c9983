#include "engine/core/sha256.h"

#include <Poco/Crypto/DigestEngine.h>
#include <Poco/Crypto/OpenSSLInitializer.h>

#include <array>
#include <fstream>

namespace sunshine {

namespace {
// Poco initialises and tears down OpenSSL around every DigestEngine unless an initializer is
// alive; holding one for the process keeps hashing from re-reading /dev/urandom per digest.
const Poco::Crypto::OpenSSLInitializer kOpenSslForProcess;
}  // namespace

struct Sha256::Impl {
  Poco::Crypto::DigestEngine engine{"SHA256"};
};

Sha256::Sha256() : impl_(std::make_unique<Impl>()) {}
Sha256::~Sha256() = default;

void Sha256::Update(std::string_view bytes) { impl_->engine.update(bytes.data(), bytes.size()); }

std::string Sha256::HexDigest() {
  return Poco::Crypto::DigestEngine::digestToHex(impl_->engine.digest());
}

namespace {

std::string HexOf(const char* algorithm, std::string_view bytes) {
  Poco::Crypto::DigestEngine engine(algorithm);
  engine.update(bytes.data(), bytes.size());
  return Poco::Crypto::DigestEngine::digestToHex(engine.digest());
}

Result<std::string> HexOfFile(const char* algorithm, const Path& file) {
  std::ifstream in(file.string(), std::ios::binary);
  if (!in) {
    return Status::IoError("cannot open " + file.string() + " for reading");
  }
  Poco::Crypto::DigestEngine engine(algorithm);
  std::array<char, 1 << 16> buffer{};
  while (in) {
    in.read(buffer.data(), buffer.size());
    engine.update(buffer.data(), static_cast<std::size_t>(in.gcount()));
  }
  if (in.bad()) {
    return Status::IoError("read error in " + file.string());
  }
  return Poco::Crypto::DigestEngine::digestToHex(engine.digest());
}

}  // namespace

std::string Sha256Hex(std::string_view bytes) { return HexOf("SHA256", bytes); }
std::string Sha512Hex(std::string_view bytes) { return HexOf("SHA512", bytes); }
Result<std::string> Sha256File(const Path& file) { return HexOfFile("SHA256", file); }
Result<std::string> Sha512File(const Path& file) { return HexOfFile("SHA512", file); }

}  // namespace sunshine
