// The only translation unit that includes Beast (it is slow to compile); everything it needs
// from the outside world comes through https_client.h.
#include "net/https_client.h"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <map>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "common/text.h"
#include "net/trust_store.h"

namespace vd::net {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
namespace ssl = boost::asio::ssl;
using tcp = boost::asio::ip::tcp;
using boost::system::error_code;
using SteadyTime = std::chrono::steady_clock::time_point;
using std::chrono::milliseconds;

namespace {

// RFC 4648 base64 with padding (the Basic credentials of a proxy).
std::string Base64(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');  // EVP_EncodeBlock adds a NUL
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(bytes.data()),
                                static_cast<int>(bytes.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

struct Endpoint {
  std::string host;  // without brackets for IPv6
  std::string port;  // decimal
  bool is_ip = false;
};

struct ParsedUrl {
  Endpoint endpoint;
  std::string target;  // origin-form: path + query, encoded as given
  std::string user;    // decoded userinfo (proxy only)
  std::string password;
  bool has_userinfo = false;
};

Result<ParsedUrl> ParseUrl(const std::string& text, std::string_view want_scheme,
                           std::string_view default_port, std::string_view what) {
  auto r = boost::urls::parse_uri(text);
  if (!r) return Status::InvalidArgument(std::string(what) + " is not a valid absolute URL");
  boost::urls::url_view u = *r;
  if (!EqualsIgnoreCase(u.scheme(), want_scheme)) {
    return Status::InvalidArgument(std::string(what) + " must use " + std::string(want_scheme) +
                                   "://, not " + std::string(u.scheme()) + "://");
  }
  ParsedUrl out;
  switch (u.host_type()) {
    case boost::urls::host_type::ipv4:
      out.endpoint.host = u.host_ipv4_address().to_string();
      out.endpoint.is_ip = true;
      break;
    case boost::urls::host_type::ipv6:
      out.endpoint.host = u.host_ipv6_address().to_string();
      out.endpoint.is_ip = true;
      break;
    case boost::urls::host_type::name:
      out.endpoint.host = u.host_name();
      break;
    default:
      return Status::InvalidArgument(std::string(what) + " has no usable host");
  }
  if (out.endpoint.host.empty()) return Status::InvalidArgument(std::string(what) + " has no host");
  if (u.has_port()) {
    if (u.port_number() == 0) return Status::InvalidArgument(std::string(what) + " has a bad port");
    out.endpoint.port = std::to_string(u.port_number());
  } else {
    out.endpoint.port = std::string(default_port);
  }
  out.target = u.encoded_path().empty() ? "/" : std::string(u.encoded_path());
  if (u.has_query()) {
    out.target += '?';
    out.target += std::string(u.encoded_query());
  }
  if (u.has_userinfo()) {
    out.has_userinfo = true;
    out.user = u.user();
    out.password = u.password();
  }
  return out;
}

bool IsLoopback(const Endpoint& e) {
  if (EqualsIgnoreCase(e.host, "localhost")) return true;
  error_code ec;
  asio::ip::address a = asio::ip::make_address(e.host, ec);
  return !ec && a.is_loopback();
}

std::string HostPort(const Endpoint& e) {
  return e.host.find(':') != std::string::npos ? "[" + e.host + "]:" + e.port
                                               : e.host + ":" + e.port;
}

// Status for an error on an established exchange. `phase` is "sending the request to" etc.
Status MapIoError(const error_code& ec, const std::string& phase, const std::string& where,
                  const std::string& timeout_name) {
  if (ec == beast::error::timeout || ec == asio::error::operation_aborted) {
    return Status::Timeout("timed out (" + timeout_name + ") " + phase + " " + where);
  }
  if (ec == http::error::body_limit) {
    return Status::Limit("response from " + where + " exceeds the response size limit");
  }
  if (ec == http::error::header_limit) {
    return Status::Limit("response header from " + where + " exceeds the header size limit");
  }
  if (ec == http::error::end_of_stream || ec == http::error::partial_message ||
      ec == asio::error::eof || ec == ssl::error::stream_truncated) {
    return Status::Partial("connection closed by " + where + " before the response was complete (" +
                           ec.message() + ")");
  }
  if (ec.category() == error_code(http::error::bad_version).category()) {
    return Status::Protocol("malformed HTTP response from " + where + ": " + ec.message());
  }
  return Status::Io("error " + phase + " " + where + ": " + ec.message());
}

// Name resolution with a deadline (see ResolveStep). IP literals resolve without a lookup.
Result<std::vector<tcp::endpoint>> Resolve(const std::string& host, const std::string& port,
                                           milliseconds budget) {
  struct State {
    std::mutex mu;
    std::condition_variable cv;
    bool done = false;
    error_code ec;
    std::vector<tcp::endpoint> endpoints;
  };
  error_code parse_ec;
  const asio::ip::address literal = asio::ip::make_address(host, parse_ec);
  if (!parse_ec) {
    char* end = nullptr;
    const unsigned long port_number = std::strtoul(port.c_str(), &end, 10);
    if (end == nullptr || *end != '\0' || port_number == 0 || port_number > 65535) {
      return Status::Io("bad port " + port);
    }
    return std::vector<tcp::endpoint>{
        tcp::endpoint(literal, static_cast<unsigned short>(port_number))};
  }
  auto state = std::make_shared<State>();
  std::thread([state, host, port] {
    asio::io_context local;
    tcp::resolver resolver(local);
    error_code ec;
    tcp::resolver::results_type results = resolver.resolve(host, port, ec);
    std::vector<tcp::endpoint> endpoints;
    for (const auto& entry : results) endpoints.push_back(entry.endpoint());
    std::lock_guard<std::mutex> lock(state->mu);
    state->ec = ec;
    state->endpoints = std::move(endpoints);
    state->done = true;
    state->cv.notify_all();
  }).detach();
  std::unique_lock<std::mutex> lock(state->mu);
  if (!state->cv.wait_for(lock, budget, [&] { return state->done; })) {
    return Status::Timeout("resolve timed out");
  }
  if (state->ec) return Status::Io(state->ec.message());
  if (state->endpoints.empty()) return Status::Io("no addresses");
  return std::move(state->endpoints);
}

struct Connection {
  Connection(asio::io_context& ioc, ssl::context& ctx) : stream(ioc, ctx) {}
  beast::ssl_stream<beast::tcp_stream> stream;
  beast::flat_buffer buffer;
  bool usable = false;  // handshake done and the server has not asked to close
};

}  // namespace

class HttpsClient::Impl {
 public:
  explicit Impl(ClientOptions o) : options(std::move(o)) {}

  Result<HttpResponse> Send(const HttpRequest& request);

  ClientOptions options;
  int connections = 0;
  asio::io_context ioc;
  std::optional<ssl::context> ctx;
  std::map<std::string, std::unique_ptr<Connection>> pool;  // key: host:port

 private:
  Status EnsureContext();
  // Milliseconds left for a phase bounded by `phase` and the request's overall deadline.
  milliseconds Budget(milliseconds phase, const char** which_name, const char* phase_name) const;
  // Runs the io_context until every handler started by `start` has run.
  template <class Start>
  error_code Run(Start&& start);
  // A new connection to `target` (through the proxy when proxy_url is set), TLS verified.
  Result<std::unique_ptr<Connection>> Connect(const Endpoint& target);
  // Connect's steps.
  Result<std::optional<ParsedUrl>> Proxy() const;
  Result<std::vector<tcp::endpoint>> ResolveStep(const Endpoint& dial, const std::string& where);
  Status ConnectTcp(Connection* conn, const std::vector<tcp::endpoint>& endpoints,
                    const std::string& where);
  Status OpenTunnel(Connection* conn, const ParsedUrl& proxy, const Endpoint& target,
                    const std::string& where);
  Status ExpectHost(Connection* conn, const Endpoint& target);
  Status Handshake(Connection* conn, const Endpoint& target);
  Result<HttpResponse> Exchange(Connection& conn, const http::request<http::string_body>& req,
                                const std::string& where, bool* got_response_bytes);

  SteadyTime deadline_;
};

Status HttpsClient::Impl::EnsureContext() {
  if (ctx) return Status::Ok();
  Result<std::string> store = FindTrustStore(options.ca_file, ProcessEnv());
  if (!store.ok()) return store.status();
  ssl::context c(ssl::context::tls_client);
  error_code ec;
  c.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                    ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1,
                ec);
  // Verification is always on: there is deliberately no option that reaches this line.
  c.set_verify_mode(ssl::verify_peer, ec);
  c.load_verify_file(store.value(), ec);
  if (ec) {
    return Status::InvalidArgument("cannot load CA bundle " + store.value() + ": " + ec.message());
  }
  ctx.emplace(std::move(c));
  return Status::Ok();
}

milliseconds HttpsClient::Impl::Budget(milliseconds phase, const char** which_name,
                                       const char* phase_name) const {
  auto left =
      std::chrono::duration_cast<milliseconds>(deadline_ - std::chrono::steady_clock::now());
  if (left < phase) {
    *which_name = "total_timeout";
    return std::max(left, milliseconds(0));
  }
  *which_name = phase_name;
  return phase;
}

template <class Start>
error_code HttpsClient::Impl::Run(Start&& start) {
  error_code result;
  start([&result](error_code ec, auto&&...) { result = ec; });
  ioc.restart();
  ioc.run();
  return result;
}

// One step per function, in the order Connect takes them (as Beast's client examples are
// laid out); each returns the step's error, phrased for the user.
Result<std::unique_ptr<Connection>> HttpsClient::Impl::Connect(const Endpoint& target) {
  Result<std::optional<ParsedUrl>> proxy = Proxy();
  if (!proxy.ok()) return proxy.status();
  const Endpoint& dial = proxy.value() ? proxy.value()->endpoint : target;
  const std::string dial_where = (proxy.value() ? "proxy " : "") + HostPort(dial);

  Result<std::vector<tcp::endpoint>> endpoints = ResolveStep(dial, dial_where);
  if (!endpoints.ok()) return endpoints.status();
  auto conn = std::make_unique<Connection>(ioc, *ctx);
  if (Status s = ConnectTcp(conn.get(), endpoints.value(), dial_where); !s.ok()) return s;
  if (proxy.value()) {
    if (Status s = OpenTunnel(conn.get(), *proxy.value(), target, dial_where); !s.ok()) return s;
  }
  if (Status s = ExpectHost(conn.get(), target); !s.ok()) return s;
  if (Status s = Handshake(conn.get(), target); !s.ok()) return s;
  conn->usable = true;
  return conn;
}

Result<std::optional<ParsedUrl>> HttpsClient::Impl::Proxy() const {
  if (options.proxy_url.empty()) return std::optional<ParsedUrl>();
  Result<ParsedUrl> p = ParseUrl(options.proxy_url, "http", "8080", "proxy_url");
  if (!p.ok()) return p.status();
  return std::optional<ParsedUrl>(std::move(p).value());
}

// tcp_stream's deadline does not cover the resolver, and cancelling Asio's resolver does not
// interrupt a getaddrinfo call already running in its private thread (the handler still waits
// for it). So the lookup runs on a detached thread with its own io_context and this thread
// waits at most the connect budget for it; a lookup that outlives the wait finishes into
// state nobody reads any more.
Result<std::vector<tcp::endpoint>> HttpsClient::Impl::ResolveStep(const Endpoint& dial,
                                                                  const std::string& where) {
  const char* limit = "";
  Result<std::vector<tcp::endpoint>> endpoints =
      Resolve(dial.host, dial.port, Budget(options.connect_timeout, &limit, "connect_timeout"));
  if (!endpoints.ok()) {
    const Status& st = endpoints.status();
    if (st.code() == Status::Code::kTimeout) {
      return Status::Timeout(std::string("timed out (") + limit + ") resolving " + where);
    }
    return Status::Io("cannot resolve " + where + ": " + st.message());
  }
  return endpoints;
}

Status HttpsClient::Impl::ConnectTcp(Connection* conn, const std::vector<tcp::endpoint>& endpoints,
                                     const std::string& where) {
  const char* limit = "";
  beast::tcp_stream& tcp_layer = beast::get_lowest_layer(conn->stream);
  tcp_layer.expires_after(Budget(options.connect_timeout, &limit, "connect_timeout"));
  error_code ec =
      Run([&](auto handler) { tcp_layer.async_connect(endpoints, std::move(handler)); });
  if (ec) {
    if (ec == beast::error::timeout) {
      return Status::Timeout(std::string("timed out (") + limit + ") connecting to " + where);
    }
    return Status::Io("cannot connect to " + where + ": " + ec.message());
  }
  ++connections;
  tcp_layer.socket().set_option(tcp::no_delay(true), ec);
  return Status::Ok();
}

// HTTP CONNECT tunnel (RFC 9110 §9.3.6); TLS then runs end to end through it.
Status HttpsClient::Impl::OpenTunnel(Connection* conn, const ParsedUrl& proxy,
                                     const Endpoint& target, const std::string& where) {
  const char* limit = "";
  beast::tcp_stream& tcp_layer = beast::get_lowest_layer(conn->stream);
  http::request<http::empty_body> creq{http::verb::connect, HostPort(target), 11};
  creq.set(http::field::host, HostPort(target));
  creq.set(http::field::user_agent, options.user_agent);
  if (proxy.has_userinfo) {
    creq.set(http::field::proxy_authorization,
             "Basic " + Base64(proxy.user + ":" + proxy.password));
  }
  tcp_layer.expires_after(Budget(options.connect_timeout, &limit, "connect_timeout"));
  error_code ec =
      Run([&](auto handler) { http::async_write(tcp_layer, creq, std::move(handler)); });
  http::response_parser<http::empty_body> cres;
  cres.skip(true);  // a 2xx answer to CONNECT has no body; the tunnel starts right after
  if (!ec) {
    beast::flat_buffer pbuf;
    ec = Run([&](auto handler) { http::async_read(tcp_layer, pbuf, cres, std::move(handler)); });
    if (!ec && pbuf.size() != 0) {
      return Status::Protocol("proxy " + HostPort(proxy.endpoint) +
                              " sent data before the TLS handshake");
    }
  }
  if (ec) {
    if (ec == beast::error::timeout) {
      return Status::Timeout(std::string("timed out (") + limit + ") opening a tunnel through " +
                             where);
    }
    return Status::Io("CONNECT through " + where + " failed: " + ec.message());
  }
  const unsigned code = cres.get().result_int();
  if (code == 407) {
    return Status::Remote("proxy " + HostPort(proxy.endpoint) +
                          " requires authentication (407 Proxy " + "Authentication Required)" +
                          (proxy.has_userinfo
                               ? ": the user name or password in proxy_url was refused"
                               : ": give http://user:pass@host:port in proxy_url"));
  }
  if (code / 100 != 2) {
    return Status::Remote("proxy " + HostPort(proxy.endpoint) + " refused CONNECT to " +
                          HostPort(target) + ": " + std::to_string(code) + " " +
                          std::string(cres.get().reason()));
  }
  return Status::Ok();
}

// SNI (only for names: RFC 6066 forbids IP literals) and host name verification inside
// OpenSSL, so a mismatch is reported as X509_V_ERR_HOSTNAME_MISMATCH ("hostname mismatch").
Status HttpsClient::Impl::ExpectHost(Connection* conn, const Endpoint& target) {
  SSL* ssl_handle = conn->stream.native_handle();
  if (!target.is_ip && !SSL_set_tlsext_host_name(ssl_handle, target.host.c_str())) {
    return Status::Io("cannot set SNI host name " + target.host);
  }
  if (options.skip_host_name_check_on_loopback && IsLoopback(target)) return Status::Ok();
  X509_VERIFY_PARAM* param = SSL_get0_param(ssl_handle);
  int set_ok = target.is_ip ? X509_VERIFY_PARAM_set1_ip_asc(param, target.host.c_str())
                            : X509_VERIFY_PARAM_set1_host(param, target.host.c_str(), 0);
  if (set_ok != 1) return Status::Io("cannot set the expected host name " + target.host);
  X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
  return Status::Ok();
}

Status HttpsClient::Impl::Handshake(Connection* conn, const Endpoint& target) {
  const char* limit = "";
  beast::get_lowest_layer(conn->stream)
      .expires_after(Budget(options.connect_timeout, &limit, "connect_timeout"));
  error_code ec = Run([&](auto handler) {
    conn->stream.async_handshake(ssl::stream_base::client, std::move(handler));
  });
  if (!ec) return Status::Ok();
  const std::string where = HostPort(target);
  if (ec == beast::error::timeout) {
    return Status::Timeout(std::string("timed out (") + limit + ") in the TLS handshake with " +
                           where);
  }
  const long verify = SSL_get_verify_result(conn->stream.native_handle());
  if (verify != X509_V_OK) {
    return Status::Remote("TLS handshake with " + where + " failed: certificate verify failed (" +
                          X509_verify_cert_error_string(verify) + ")");
  }
  std::string reason = ec.message();
  if (ec.category() == asio::error::get_ssl_category()) {
    char buf[256];
    ERR_error_string_n(static_cast<unsigned long>(ec.value()), buf, sizeof buf);
    reason = buf;
  }
  return Status::Io("TLS handshake with " + where + " failed: " + reason);
}

Result<HttpResponse> HttpsClient::Impl::Exchange(Connection& conn,
                                                 const http::request<http::string_body>& req,
                                                 const std::string& where,
                                                 bool* got_response_bytes) {
  *got_response_bytes = false;
  beast::tcp_stream& tcp_layer = beast::get_lowest_layer(conn.stream);
  const char* limit = "";
  tcp_layer.expires_after(Budget(options.io_timeout, &limit, "io_timeout"));
  error_code ec =
      Run([&](auto handler) { http::async_write(conn.stream, req, std::move(handler)); });
  if (ec) return MapIoError(ec, "sending the request to", where, limit);

  http::response_parser<http::string_body> parser;
  parser.body_limit(options.max_body);
  parser.header_limit(64 * 1024);
  if (req.method() == http::verb::head) parser.skip(true);
  // One deadline per read: a server that stalls for io_timeout fails, a slow but steady one
  // is bounded by total_timeout only.
  while (!parser.is_done()) {
    tcp_layer.expires_after(Budget(options.io_timeout, &limit, "io_timeout"));
    ec = Run([&](auto handler) {
      http::async_read_some(conn.stream, conn.buffer, parser, std::move(handler));
    });
    if (parser.got_some()) *got_response_bytes = true;
    if (ec) {
      if (ec == http::error::need_buffer) continue;
      return MapIoError(ec, "waiting for the response from", where, limit);
    }
  }
  http::response<http::string_body> res = parser.release();
  HttpResponse out;
  out.status = static_cast<int>(res.result_int());
  for (const auto& field : res) {
    out.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
  }
  out.body = std::move(res.body());
  conn.usable = res.keep_alive();
  return out;
}

Result<HttpResponse> HttpsClient::Impl::Send(const HttpRequest& request) {
  deadline_ = std::chrono::steady_clock::now() + options.total_timeout;
  Result<ParsedUrl> parsed = ParseUrl(request.url, "https", "443", "request URL");
  if (!parsed.ok()) return parsed.status();
  const ParsedUrl& url = parsed.value();
  if (Status st = EnsureContext(); !st.ok()) return st;

  http::request<http::string_body> req;
  req.version(11);
  const http::verb verb = http::string_to_verb(request.method);
  if (verb == http::verb::unknown) {
    if (request.method.empty()) return Status::InvalidArgument("empty HTTP method");
    req.method_string(request.method);
  } else {
    req.method(verb);
  }
  req.target(url.target);
  req.set(http::field::host,
          url.endpoint.port == "443"
              ? (url.endpoint.host.find(':') != std::string::npos ? "[" + url.endpoint.host + "]"
                                                                  : url.endpoint.host)
              : HostPort(url.endpoint));
  req.set(http::field::user_agent, options.user_agent);
  for (const auto& [name, value] : request.headers) req.insert(name, value);
  if (!request.body.empty() || verb == http::verb::post || verb == http::verb::put ||
      verb == http::verb::patch) {
    req.body() = request.body;
    req.prepare_payload();
  }
  req.keep_alive(true);

  const std::string key = HostPort(url.endpoint);
  // A kept-alive connection may have been closed by the server meanwhile; that shows as an
  // error before any response byte, and then the request is sent once more on a new one.
  for (int round = 0; round < 2; ++round) {
    std::unique_ptr<Connection>& slot = pool[key];
    const bool reused = slot && slot->usable;
    if (!reused) {
      slot.reset();
      Result<std::unique_ptr<Connection>> c = Connect(url.endpoint);
      if (!c.ok()) return c.status();
      slot = std::move(c.value());
    }
    bool got_bytes = false;
    Result<HttpResponse> r = Exchange(*slot, req, key, &got_bytes);
    if (r.ok()) {
      if (!slot->usable) slot.reset();
      return r;
    }
    slot.reset();  // never reuse a connection in an unknown state
    const auto code = r.status().code();
    const bool stale =
        reused && !got_bytes && (code == Status::Code::kIo || code == Status::Code::kPartial);
    if (!stale) return r;
  }
  return Status::Io("connection to " + key + " closed twice before a response");
}

HttpsClient::HttpsClient(ClientOptions options)
    : impl_(std::make_unique<Impl>(std::move(options))) {}
HttpsClient::~HttpsClient() = default;

Result<HttpResponse> HttpsClient::Send(const HttpRequest& request) {
  try {
    return impl_->Send(request);
  } catch (const std::exception& e) {
    // Asio/Beast may throw on resource exhaustion; errors stay values at the layer boundary.
    impl_->pool.clear();
    return Status::Io(std::string("HTTPS request failed: ") + e.what());
  }
}

void HttpsClient::Close() { impl_->pool.clear(); }
int HttpsClient::connections_opened() const { return impl_->connections; }
const ClientOptions& HttpsClient::options() const { return impl_->options; }

}  // namespace vd::net
