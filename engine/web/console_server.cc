#include "engine/web/console_server.h"

#include <Poco/Exception.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTMLForm.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/NameValueCollection.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/Net/SecureServerSocket.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/ThreadPool.h>
#include <Poco/URI.h>

#include <charconv>
#include <istream>
#include <mutex>
#include <sstream>

#include "engine/store/store.h"
#include "engine/web/console_page.h"
#include "engine/web/html.h"

namespace sunshine::web {

namespace {

// Forms are small; anything bigger is refused before it is parsed.
constexpr std::streamsize kMaxFormBytes = 1 << 20;
constexpr int kMaxFormFields = 2000;

// default-src 'self' and no 'unsafe-inline': an injected <script> or style attribute would not
// run even if escaping failed somewhere. frame-ancestors 'none' forbids framing (clickjacking).
constexpr const char* kContentSecurityPolicy =
    "default-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'; "
    "object-src 'none'";

struct Shared {
  ConsoleOptions options;
  bool tls = false;
};

void AddSecurityHeaders(Poco::Net::HTTPServerResponse& response, const ConsoleResponse& page,
                        bool tls) {
  response.set("Content-Security-Policy", page.content_security_policy.empty()
                                              ? std::string(kContentSecurityPolicy)
                                              : page.content_security_policy);
  response.set("X-Frame-Options", page.frame_same_origin ? "SAMEORIGIN" : "DENY");
  response.set("X-Content-Type-Options", "nosniff");
  response.set("Referrer-Policy", "no-referrer");
  response.set("Cache-Control", "no-store");
  response.set("Cross-Origin-Opener-Policy", "same-origin");
  response.set("Cross-Origin-Resource-Policy", "same-origin");
  if (tls) {
    response.set("Strict-Transport-Security", "max-age=31536000");
  }
}

// The only cookie the console sets. No Expires and no Max-Age: a session cookie, gone when the
// browser closes (office policy). Logging out sends it empty rather than expiring it, so that
// no Set-Cookie header ever carries a lifetime.
std::string SessionCookie(std::string_view token, bool tls) {
  std::string cookie = std::string(kSessionCookieName) + "=" + std::string(token) +
                       "; Path=/; HttpOnly; SameSite=Strict";
  if (tls) {
    cookie += "; Secure";
  }
  return cookie;
}

std::string SafeDownloadName(std::string_view name) {
  std::string safe;
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '-' || c == '_';
    safe += ok ? c : '_';
  }
  return safe.empty() ? "download" : safe;
}

void Send(Poco::Net::HTTPServerResponse& out, const ConsoleResponse& response, bool tls) {
  AddSecurityHeaders(out, response, tls);
  if (response.new_token) {
    out.add("Set-Cookie", SessionCookie(*response.new_token, tls));
  }
  out.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(response.status));
  if (!response.location.empty()) {
    out.set("Location", response.location);
  }
  if (!response.download_name.empty()) {
    out.set("Content-Disposition",
            "attachment; filename=\"" + SafeDownloadName(response.download_name) + "\"");
  }
  if (response.file) {
    out.sendFile(response.file->string(), response.content_type);
    return;
  }
  out.setContentType(response.content_type);
  out.setContentLength64(static_cast<Poco::Int64>(response.body.size()));
  out.send() << response.body;
}

class ConsoleRequestHandler : public Poco::Net::HTTPRequestHandler {
 public:
  explicit ConsoleRequestHandler(const Shared& shared) : shared_(shared) {}

  void handleRequest(Poco::Net::HTTPServerRequest& in,
                     Poco::Net::HTTPServerResponse& out) override {
    ConsoleRequest request;
    std::unique_ptr<Store> store;
    ConsoleResponse response;
    try {
      response = Dispatch(in, request, store);
    } catch (const Poco::Exception& error) {
      response = ErrorPage(request, 500, "internal error: " + error.displayText());
    } catch (const std::exception& error) {
      response = ErrorPage(request, 500, std::string("internal error: ") + error.what());
    }
    try {
      Send(out, response, shared_.tls);
    } catch (const Poco::Exception&) {
      // The client went away (or the file vanished mid-send); nothing left to tell it.
    }
  }

 private:
  ConsoleResponse Dispatch(Poco::Net::HTTPServerRequest& in, ConsoleRequest& request,
                           std::unique_ptr<Store>& store) {
    request.method = in.getMethod();
    request.remote = in.clientAddress().host().toString();
    request.tls = shared_.tls;
    request.clock = &shared_.options.clock;
    Poco::URI uri;
    try {
      uri = Poco::URI(in.getURI());
    } catch (const Poco::SyntaxException&) {
      return ErrorPage(request, 400, "The address is not valid.");
    }
    request.path = uri.getPath();
    if (request.path.empty()) {
      request.path = "/";
    }

    if (request.path == "/static/console.css" && request.method == "GET") {
      ConsoleResponse css;
      css.content_type = "text/css; charset=utf-8";
      css.body = std::string(ConsoleStylesheet());
      return css;
    }

    if (request.path == "/favicon.ico") {
      // Browsers ask for it on their own; the console has none, and says so without a 404.
      ConsoleResponse none;
      none.status = 204;
      return none;
    }

    const ConsoleRoute* route = nullptr;
    bool path_known = false;
    for (const ConsoleRoute& candidate : AllConsoleRoutes()) {
      bool matches = candidate.prefix ? request.path.rfind(candidate.path, 0) == 0 &&
                                            request.path.size() > candidate.path.size()
                                      : request.path == candidate.path;
      if (!matches) {
        continue;
      }
      path_known = true;
      if (candidate.method == request.method) {
        route = &candidate;
        break;
      }
    }
    if (!path_known) {
      return ErrorPage(request, 404, "There is no page at this address.");
    }
    if (route == nullptr) {
      return ErrorPage(request, 405, "This page does not accept that kind of request.");
    }

    // Parameters: the query string, then (for POST) the url-encoded body.
    try {
      Poco::Net::HTMLForm form;
      form.setFieldLimit(kMaxFormFields);
      form.read(uri.getRawQuery());
      if (request.method == "POST") {
        std::string type = in.getContentType();
        if (type.rfind("application/x-www-form-urlencoded", 0) != 0) {
          return ErrorPage(request, 415, "Forms must be sent url-encoded.");
        }
        std::string body;
        body.resize(static_cast<std::size_t>(kMaxFormBytes) + 1);
        in.stream().read(body.data(), kMaxFormBytes + 1);
        body.resize(static_cast<std::size_t>(in.stream().gcount()));
        if (body.size() > static_cast<std::size_t>(kMaxFormBytes)) {
          return ErrorPage(request, 413, "The form is too large.");
        }
        std::istringstream body_stream(body);
        form.read(body_stream);
      }
      for (const auto& [name, value] : form) {
        request.params.emplace(name, value);
      }
    } catch (const Poco::Exception& error) {
      return ErrorPage(request, 400, "The form could not be read: " + error.displayText());
    }

    auto opened =
        Store::Open(shared_.options.home, StoreAccess::kReadWrite, shared_.options.config);
    if (!opened.ok()) {
      return ErrorPage(request, 500, "The store could not be opened: " + opened.status().message());
    }
    store = std::move(*opened);
    request.store = store.get();

    Poco::Net::NameValueCollection cookies;
    in.getCookies(cookies);
    std::string token = cookies.get(std::string(kSessionCookieName), "");
    if (!token.empty()) {
      auto session = ConsoleSessions::Resume(store->db(), token, request.now());
      if (!session.ok()) {
        return ErrorPage(request, 500,
                         "The session could not be read: " + session.status().message());
      }
      if (*session) {
        request.session = std::move(**session);
        request.session_token = token;
      }
    }

    if (route->roles != kAnyone) {
      if (!request.signed_in()) {
        return ConsoleResponse::Redirect("/login");
      }
      if ((route->roles & RoleBit(request.account().role)) == 0) {
        return Forbidden(request, "role");
      }
    }
    if (request.method == "POST") {
      std::string expected = request.session ? request.session->csrf_token : std::string();
      if (!ConsoleSessions::CsrfMatches(expected, request.Param("csrf"))) {
        if (!request.signed_in()) {
          // The login form outlived its pre-login session: show a fresh one.
          return ConsoleResponse::Redirect("/login?expired=1");
        }
        return Forbidden(request, "missing or wrong CSRF token");
      }
    }
    return route->handle(request);
  }

  const Shared& shared_;
};

class ConsoleHandlerFactory : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit ConsoleHandlerFactory(const Shared& shared) : shared_(shared) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(
      const Poco::Net::HTTPServerRequest& /*request*/) override {
    return new ConsoleRequestHandler(shared_);
  }

 private:
  const Shared& shared_;
};

}  // namespace

Result<ListenAddress> ParseListenAddress(std::string_view text) {
  ListenAddress address;
  std::string_view port_text = text;
  if (!text.empty() && text.front() == '[') {
    std::size_t close = text.find(']');
    if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':') {
      return Status::InvalidInput("--listen '" + std::string(text) + "': expected [V6]:PORT");
    }
    address.host = std::string(text.substr(1, close - 1));
    port_text = text.substr(close + 2);
  } else if (std::size_t colon = text.rfind(':'); colon != std::string_view::npos) {
    address.host = std::string(text.substr(0, colon));
    port_text = text.substr(colon + 1);
    if (address.host.empty()) {
      return Status::InvalidInput("--listen '" + std::string(text) + "': the host is missing");
    }
  }
  unsigned port = 0;
  auto [end, error] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (error != std::errc() || end != port_text.data() + port_text.size() || port > 65535 ||
      port_text.empty()) {
    return Status::InvalidInput("--listen '" + std::string(text) + "': '" + std::string(port_text) +
                                "' is not a port number");
  }
  address.port = static_cast<std::uint16_t>(port);
  return address;
}

bool IsLoopback(std::string_view host) {
  return host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0;
}

struct ConsoleServer::Impl {
  Shared shared;
  std::unique_ptr<Poco::ThreadPool> pool;
  std::unique_ptr<Poco::Net::HTTPServer> server;
  std::uint16_t port = 0;
};

ConsoleServer::ConsoleServer(ConsoleOptions options) : impl_(std::make_unique<Impl>()) {
  impl_->shared.options = std::move(options);
  impl_->shared.tls = impl_->shared.options.tls_cert.has_value();
}

ConsoleServer::~ConsoleServer() { Stop(); }

Status ConsoleServer::Start() {
  const ConsoleOptions& options = impl_->shared.options;
  if (options.tls_cert.has_value() != options.tls_key.has_value()) {
    return Status::InvalidInput("--tls-cert and --tls-key go together");
  }
  try {
    Poco::Net::SocketAddress address(options.listen.host, options.listen.port);
    std::unique_ptr<Poco::Net::ServerSocket> socket;
    if (options.tls_cert) {
      static std::once_flag ssl_once;
      std::call_once(ssl_once, [] { Poco::Net::initializeSSL(); });
      Poco::Net::Context::Ptr context;
      try {
        context = new Poco::Net::Context(Poco::Net::Context::TLS_SERVER_USE, *options.tls_key,
                                         *options.tls_cert, "", Poco::Net::Context::VERIFY_NONE);
        context->requireMinimumProtocol(Poco::Net::Context::PROTO_TLSV1_2);
        context->preferServerCiphers();
      } catch (const Poco::Exception& error) {
        return Status::InvalidInput("cannot use --tls-cert " + *options.tls_cert + " / --tls-key " +
                                    *options.tls_key + ": " + error.displayText());
      }
      socket = std::make_unique<Poco::Net::SecureServerSocket>(address, 64, context);
    } else {
      socket = std::make_unique<Poco::Net::ServerSocket>(address, 64);
    }
    impl_->port = socket->address().port();

    Poco::Net::HTTPServerParams::Ptr params = new Poco::Net::HTTPServerParams;
    int threads = options.threads > 0 ? options.threads : 4;
    params->setMaxThreads(threads);
    params->setMaxQueued(64);
    params->setKeepAlive(true);
    params->setTimeout(Poco::Timespan(30, 0));
    impl_->pool = std::make_unique<Poco::ThreadPool>(1, threads);
    impl_->server = std::make_unique<Poco::Net::HTTPServer>(
        new ConsoleHandlerFactory(impl_->shared), *impl_->pool, *socket, params);
    impl_->server->start();
  } catch (const Poco::Exception& error) {
    return Status::IoError("cannot listen on " + options.listen.host + ":" +
                           std::to_string(options.listen.port) + ": " + error.displayText());
  }
  return {};
}

void ConsoleServer::Stop() {
  if (impl_->server) {
    impl_->server->stopAll(true);
    impl_->server.reset();
  }
  if (impl_->pool) {
    impl_->pool->joinAll();
    impl_->pool.reset();
  }
}

std::uint16_t ConsoleServer::port() const { return impl_->port; }

std::string ConsoleServer::url() const {
  const std::string& host = impl_->shared.options.listen.host;
  bool v6 = host.find(':') != std::string::npos;
  return std::string(impl_->shared.tls ? "https" : "http") + "://" +
         (v6 ? "[" + host + "]" : host) + ":" + std::to_string(impl_->port) + "/";
}

}  // namespace sunshine::web
