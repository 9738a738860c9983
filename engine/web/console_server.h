// The web console's HTTP(S) server (Poco::Net::HTTPServer, NetSSL for TLS). Each request
// opens its own Store (SQLite connections are not shared between the server's threads),
// resumes the session from the cookie, checks role and CSRF token, then calls the route's
// handler (console_page.h). Every response carries the security headers (docs/console.md).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "engine/core/clock.h"
#include "engine/core/result.h"
#include "engine/store/home.h"

namespace sunshine::web {

struct ListenAddress {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8080;
};
// "HOST:PORT", "[V6]:PORT" or "PORT" (loopback). Port 0 picks a free port.
Result<ListenAddress> ParseListenAddress(std::string_view text);
bool IsLoopback(std::string_view host);

struct ConsoleOptions {
  ListenAddress listen;
  std::optional<std::string> tls_cert;  // PEM files; both or neither
  std::optional<std::string> tls_key;
  Home home{Path()};
  std::optional<std::string> config;  // --config override
  Clock clock;
  int threads = 4;
};

class ConsoleServer {
 public:
  explicit ConsoleServer(ConsoleOptions options);
  ~ConsoleServer();
  ConsoleServer(const ConsoleServer&) = delete;
  ConsoleServer& operator=(const ConsoleServer&) = delete;

  // Binds and starts serving. InvalidInput for a bad certificate or key, IoError if the
  // address cannot be bound.
  Status Start();
  void Stop();
  std::uint16_t port() const;  // the bound port (useful with port 0)
  std::string url() const;     // "http://127.0.0.1:8080/"

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace sunshine::web
