#!/usr/bin/env python3
"""A real TLS server on 127.0.0.1 that plays Microsoft Graph, the Entra token authority,
splunkd (storage/passwords) and an HTTP CONNECT proxy, with scripted faults.

Standard library only. See README.md next to this file for the command protocol.

  fake_cloud.py gen-certs DIR
      Generates (with the openssl CLI) a test CA and server certificates into DIR.
  fake_cloud.py serve --cert CERT --key KEY [--proxy] [--proxy-auth USER:PASS] [--config JSON]
      Prints "ready port=N proxy_port=M" on stdout, then reads one JSON command per line on
      stdin and answers one JSON line on stdout per command. Exits when stdin closes.
"""

import argparse
import base64
import datetime as dt
import json
import os
import select
import socket
import socketserver
import ssl
import subprocess
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# ---------------------------------------------------------------------------------------------
# Certificates


def _openssl(*args):
    subprocess.run(["openssl", *args], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def gen_certs(out_dir):
    """Test CA + leaf certificates. Files: ca.pem ca.key, and for each leaf NAME.pem NAME.key:
    server (127.0.0.1 + localhost, CA-signed), wronghost (wrong.example only, CA-signed),
    expired (127.0.0.1 + localhost, CA-signed, notAfter in the past), selfsigned (127.0.0.1 +
    localhost, signed by itself, so not in ca.pem)."""
    os.makedirs(out_dir, exist_ok=True)
    p = lambda name: os.path.join(out_dir, name)
    ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
    _openssl("req", "-x509", *ec, "-keyout", p("ca.key"), "-out", p("ca.pem"), "-days", "30",
             "-subj", "/CN=vd test CA", "-addext", "basicConstraints=critical,CA:TRUE",
             "-addext", "keyUsage=critical,keyCertSign,cRLSign")
    leaves = {
        "server": ("subjectAltName=IP:127.0.0.1,DNS:localhost", "30"),
        "wronghost": ("subjectAltName=DNS:wrong.example", "30"),
        # -days -1 puts notAfter one day before now: an expired certificate without faking time.
        "expired": ("subjectAltName=IP:127.0.0.1,DNS:localhost", "-1"),
    }
    for serial, (name, (san, days)) in enumerate(leaves.items(), start=2):
        ext = p(name + ".ext")
        with open(ext, "w") as f:
            f.write(san + "\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n")
        _openssl("req", *ec, "-keyout", p(name + ".key"), "-out", p(name + ".csr"),
                 "-subj", "/CN=" + name)
        _openssl("x509", "-req", "-in", p(name + ".csr"), "-CA", p("ca.pem"), "-CAkey", p("ca.key"),
                 "-set_serial", str(serial), "-out", p(name + ".pem"),
                 "-days", days, "-extfile", ext)
    _openssl("req", "-x509", *ec, "-keyout", p("selfsigned.key"), "-out", p("selfsigned.pem"),
             "-days", "30", "-subj", "/CN=selfsigned",
             "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost")


# ---------------------------------------------------------------------------------------------
# Shared state


def parse_time(text):
    """ISO-8601 with Z/offset and up to 7+ fractional digits -> aware datetime (UTC)."""
    s = text.strip()
    if s.endswith("Z") or s.endswith("z"):
        s = s[:-1] + "+00:00"
    if "." in s:
        head, rest = s.split(".", 1)
        i = 0
        while i < len(rest) and rest[i].isdigit():
            i += 1
        s = head + "." + (rest[:i] + "000000")[:6] + rest[i:]
    t = dt.datetime.fromisoformat(s)
    if t.tzinfo is None:
        t = t.replace(tzinfo=dt.timezone.utc)
    return t


class State:
    def __init__(self):
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.port = 0
        self.proxy_port = 0
        self.reset_stats()
        self.queues = {}      # "METHOD /path" -> [spec, ...]
        self.defaults = {}    # "METHOD /path" -> spec (used when the queue is empty)
        self.records = {"audit": [], "signin": []}
        self.pages = {}       # skiptoken -> (matches, offset, top, path)
        self.next_token = 1
        self.valid_tokens = set()
        self.config = {
            "page_size": 100,          # default $top
            "token_expires_in": 3599,
            "clients": {},             # client_id -> secret; empty = any client/secret accepted
            "require_bearer": True,
            "session_key": None,       # splunkd session key; None = any "Splunk <key>" accepted
            "passwords": [],           # [{"realm","username","password","app"?}]
            "now": None,               # ISO time for _visible_from; None = real time
            "proxy_auth": None,        # "user:pass"
            "stall_ms": 120000,
            "graph_host": None,        # host[:port] put in nextLinks; None = the request's Host
        }

    def reset_stats(self):
        self.connections = 0
        self.tls_handshakes = 0
        self.tls_failures = 0
        self.requests = []    # dicts, see log_request
        self.per_route = {}
        self.tokens_issued = 0
        self.proxy_connections = 0
        self.tunnels = 0
        self.proxy_auth_failures = 0
        self.proxy_requests = []

    def now(self):
        if self.config.get("now"):
            return parse_time(self.config["now"])
        return dt.datetime.now(dt.timezone.utc)

    def stats(self):
        return {
            "connections": self.connections,
            "tls_handshakes": self.tls_handshakes,
            "tls_failures": self.tls_failures,
            "requests_total": len(self.requests),
            "requests": dict(self.per_route),
            "tokens_issued": self.tokens_issued,
            "proxy_connections": self.proxy_connections,
            "tunnels": self.tunnels,
            "proxy_auth_failures": self.proxy_auth_failures,
        }


STATE = State()

# ---------------------------------------------------------------------------------------------
# TLS server


def graph_error(code, message):
    return {"error": {"code": code, "message": message,
                      "innerError": {"request-id": "00000000-0000-0000-0000-000000000001",
                                     "date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S")}}}


TIME_FIELD = {"audit": "activityDateTime", "signin": "createdDateTime"}
LOG_BY_PATH = {"/v1.0/auditLogs/directoryAudits": "audit", "/beta/auditLogs/directoryAudits": "audit",
               "/v1.0/auditLogs/signIns": "signin", "/beta/auditLogs/signIns": "signin"}


def parse_filter(text, time_field):
    """Conjunctions of "<field> <op> <value>"; returns a predicate or raises ValueError."""
    clauses = []
    parts, rest = [], text.strip()
    while rest:
        idx = rest.lower().find(" and ")
        if idx < 0:
            parts.append(rest)
            break
        parts.append(rest[:idx])
        rest = rest[idx + 5:]
    for part in parts:
        words = part.strip().split(" ", 2)
        if len(words) != 3 or words[1].lower() not in ("ge", "le", "gt", "lt", "eq"):
            raise ValueError("Invalid filter clause: " + part)
        field, op, value = words[0], words[1].lower(), words[2].strip()
        if value.startswith("'") and value.endswith("'") and len(value) >= 2:
            value = value[1:-1].replace("''", "'")
            clauses.append((field, op, value, False))
        elif field == time_field:
            clauses.append((field, op, parse_time(value), True))
        else:
            raise ValueError("Unsupported filter value: " + value)

    def pred(rec):
        for field, op, value, is_time in clauses:
            got = rec.get(field)
            if got is None:
                return False
            if is_time:
                got = parse_time(got)
            if op == "eq" and not got == value: return False
            if op == "ge" and not got >= value: return False
            if op == "le" and not got <= value: return False
            if op == "gt" and not got > value: return False
            if op == "lt" and not got < value: return False
        return True
    return pred


def public(rec):
    return {k: v for k, v in rec.items() if not k.startswith("_")}


class TlsHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = 60  # idle keep-alive connections are closed after this many seconds
    server_version = "fake-cloud/1.0"

    def setup(self):
        with STATE.lock:
            STATE.connections += 1
            self.conn_id = STATE.connections
        self.tls_ok = False
        try:
            self.request.settimeout(10)
            self.request = self.server.ssl_ctx.wrap_socket(self.request, server_side=True)
            self.tls_ok = True
        except (ssl.SSLError, OSError):
            with STATE.lock:
                STATE.tls_failures += 1
            return
        with STATE.lock:
            STATE.tls_handshakes += 1
        self.connection = self.request
        super().setup()

    def handle(self):
        if self.tls_ok:
            try:
                super().handle()
            except (ssl.SSLError, OSError):
                pass

    def finish(self):
        if self.tls_ok:
            try:
                super().finish()
            except (ssl.SSLError, OSError):
                pass
        try:
            self.request.close()
        except OSError:
            pass

    def log_message(self, fmt, *args):  # quiet: tests read the stats instead
        pass

    def do_GET(self): self.dispatch()
    def do_POST(self): self.dispatch()
    def do_PUT(self): self.dispatch()
    def do_DELETE(self): self.dispatch()
    def do_PATCH(self): self.dispatch()
    def do_HEAD(self): self.dispatch()

    # -- plumbing ----------------------------------------------------------------------------

    def dispatch(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length > 0 else b""
        url = urllib.parse.urlsplit(self.path)
        self.req_path = urllib.parse.unquote(url.path)
        self.req_query = url.query
        self.req_body = body
        route = self.command + " " + url.path
        with STATE.lock:
            STATE.requests.append({
                "method": self.command, "path": url.path, "query": url.query,
                "headers": {k.lower(): v for k, v in self.headers.items()},
                "body": body.decode("utf-8", "replace")[:4096], "conn": self.conn_id,
                "t": time.monotonic(), "wall": time.time()})
            STATE.per_route[route] = STATE.per_route.get(route, 0) + 1
            spec = None
            for key in (route, "* " + url.path, self.command + " *", "* *"):
                q = STATE.queues.get(key)
                if q:
                    spec = q.pop(0)
                    break
            if spec is None:
                for key in (route, "* " + url.path, self.command + " *", "* *"):
                    if key in STATE.defaults:
                        spec = STATE.defaults[key]
                        break
        if spec is None:
            spec = self.builtin()
        self.send_spec(spec)

    def send_spec(self, spec):
        if spec.get("delay_ms"):
            if STATE.stop.wait(spec["delay_ms"] / 1000.0):
                return
        if spec.get("stall"):
            # Say nothing until the client gives up (or the server stops), then hang up.
            end = time.monotonic() + spec.get("stall_ms", STATE.config["stall_ms"]) / 1000.0
            self.request.settimeout(0.1)
            while time.monotonic() < end and not STATE.stop.is_set():
                try:
                    if self.request.recv(1) == b"":
                        break
                except socket.timeout:
                    continue
                except (ssl.SSLError, OSError):
                    break
            self.close_connection = True
            return
        if spec.get("drop"):
            self.close_connection = True
            return
        if "raw" in spec:
            self.wfile.write(spec["raw"].encode("latin-1"))
            self.wfile.flush()
            self.close_connection = True
            return
        headers = spec.get("headers") or {}
        if isinstance(headers, dict):
            headers = list(headers.items())
        if "json" in spec:
            body = json.dumps(spec["json"]).encode()
            if not any(k.lower() == "content-type" for k, _ in headers):
                headers.append(("Content-Type", "application/json"))
        elif "body_size" in spec:
            body = b"x" * int(spec["body_size"])
        else:
            body = spec.get("body", "")
            body = body.encode() if isinstance(body, str) else body
        status = int(spec.get("status", 200))
        self.send_response_only(status)
        names = {k.lower() for k, _ in headers}
        if "date" not in names:
            self.send_header("Date", self.date_time_string())
        for k, v in headers:
            self.send_header(k, str(v))
        if "content-length" not in names:
            self.send_header("Content-Length", str(len(body)))
        if spec.get("close"):
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        if self.command == "HEAD":
            return
        if "truncate_after" in spec:
            self.wfile.write(body[:int(spec["truncate_after"])])
            self.wfile.flush()
            self.close_connection = True
            return
        self.wfile.write(body)
        self.wfile.flush()

    # -- built-in services -------------------------------------------------------------------

    def builtin(self):
        path = self.req_path
        if self.command == "POST" and path.endswith("/oauth2/v2.0/token"):
            return self.token()
        if self.command == "GET" and path in LOG_BY_PATH:
            return self.graph_list(LOG_BY_PATH[path])
        if path.startswith("/servicesNS/") and "/storage/passwords" in path:
            return self.passwords()
        if path == "/ping":
            return {"status": 200, "json": {"pong": True}}
        if path == "/echo":
            return {"status": 200, "json": {"method": self.command, "path": path, "query": self.req_query,
                                            "body": self.req_body.decode("utf-8", "replace"),
                                            "headers": {k.lower(): v for k, v in self.headers.items()}}}
        return {"status": 404, "json": graph_error("ResourceNotFound", "no route for " + path)}

    def token(self):
        form = urllib.parse.parse_qs(self.req_body.decode("utf-8", "replace"), keep_blank_values=True)
        get = lambda k: (form.get(k) or [""])[0]
        if get("grant_type") != "client_credentials":
            return {"status": 400, "json": {"error": "unsupported_grant_type",
                    "error_description": "AADSTS70003: The app requested an unsupported grant type.",
                    "error_codes": [70003], "trace_id": "t-1", "correlation_id": "c-1"}}
        if not get("scope").endswith("/.default"):
            return {"status": 400, "json": {"error": "invalid_scope",
                    "error_description": "AADSTS70011: The provided value for the input parameter 'scope' is not valid.",
                    "error_codes": [70011], "trace_id": "t-2", "correlation_id": "c-2"}}
        clients = STATE.config.get("clients") or {}
        if clients and clients.get(get("client_id")) != get("client_secret"):
            return {"status": 401, "json": {"error": "invalid_client",
                    "error_description": "AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID.",
                    "error_codes": [7000215], "trace_id": "t-3", "correlation_id": "c-3"}}
        with STATE.lock:
            STATE.tokens_issued += 1
            tok = "fake-access-token-%d" % STATE.tokens_issued
            STATE.valid_tokens.add(tok)
        n = STATE.config["token_expires_in"]
        return {"status": 200, "json": {"token_type": "Bearer", "expires_in": n, "ext_expires_in": n,
                                        "access_token": tok}}

    def graph_list(self, log):
        if STATE.config.get("require_bearer", True):
            auth = self.headers.get("Authorization") or ""
            with STATE.lock:
                valid = auth.startswith("Bearer ") and auth[7:] in STATE.valid_tokens
            if not valid:
                return {"status": 401, "json": graph_error("InvalidAuthenticationToken",
                                                           "Access token has expired or is not yet valid.")}
        q = urllib.parse.parse_qs(self.req_query, keep_blank_values=True)
        get = lambda k: (q.get(k) or [None])[0]
        host = STATE.config.get("graph_host") or self.headers.get("Host") or "127.0.0.1:%d" % STATE.port
        skiptoken = get("$skiptoken")
        with STATE.lock:
            if skiptoken is not None:
                if skiptoken not in STATE.pages:
                    return {"status": 400, "json": graph_error("BadRequest", "Invalid $skiptoken")}
                matches, offset, top = STATE.pages.pop(skiptoken)
            else:
                time_field = TIME_FIELD[log]
                try:
                    pred = parse_filter(get("$filter"), time_field) if get("$filter") else (lambda r: True)
                except ValueError as e:
                    return {"status": 400, "json": graph_error("BadRequest", str(e))}
                now = STATE.now()
                matches = [r for r in STATE.records[log]
                           if pred(r) and ("_visible_from" not in r or parse_time(r["_visible_from"]) <= now)]
                order = (get("$orderby") or "").strip().split()
                desc = True  # signIns are documented newest first; assume the same without $orderby
                if order:
                    if order[0] != time_field:
                        return {"status": 400, "json": graph_error("BadRequest", "Unsupported $orderby")}
                    desc = len(order) > 1 and order[1].lower() == "desc"
                matches.sort(key=lambda r: parse_time(r[time_field]), reverse=desc)
                offset = 0
                top = int(get("$top") or STATE.config["page_size"])
                top = max(1, min(top, 1000))
            page = matches[offset:offset + top]
            body = {"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#auditLogs/" +
                    ("directoryAudits" if log == "audit" else "signIns"),
                    "value": [public(r) for r in page]}
            if offset + top < len(matches):
                tok = "st%d" % STATE.next_token
                STATE.next_token += 1
                STATE.pages[tok] = (matches, offset + top, top)
                body["@odata.nextLink"] = "https://%s%s?$skiptoken=%s" % (host, urllib.parse.urlsplit(self.path).path, tok)
        return {"status": 200, "json": body}

    def passwords(self):
        auth = self.headers.get("Authorization") or ""
        key = STATE.config.get("session_key")
        if not auth.startswith("Splunk ") or (key is not None and auth[7:] != key):
            return {"status": 401, "headers": {"Content-Type": "text/xml"},
                    "body": '<?xml version="1.0" encoding="UTF-8"?>\n<response>\n  <messages>\n'
                            '    <msg type="WARN">call not properly authenticated</msg>\n  </messages>\n</response>\n'}
        parts = self.req_path.split("/")  # ['', 'servicesNS', owner, app, 'storage', 'passwords', name?]
        app = parts[3] if len(parts) > 3 else ""
        name = parts[6] if len(parts) > 6 else None
        entries = []
        for p in STATE.config.get("passwords") or []:
            if p.get("app") not in (None, app):
                continue
            ename = "%s:%s:" % (p.get("realm", ""), p["username"])
            if name is None or name == ename:
                entries.append({"name": ename, "id": "https://127.0.0.1:%d/servicesNS/nobody/%s/storage/passwords/%s"
                                % (STATE.port, app, urllib.parse.quote(ename)),
                                "acl": {"app": app, "owner": "nobody"},
                                "content": {"realm": p.get("realm", ""), "username": p["username"],
                                            "clear_password": p["password"], "encr_password": "$7$AAAA",
                                            "password": "********"}})
        if name is not None and not entries:
            return {"status": 404, "json": {"messages": [{"type": "ERROR",
                                                          "text": "Could not find object id=" + name}]}}
        q = urllib.parse.parse_qs(self.req_query)
        if (q.get("output_mode") or [""])[0] == "json":
            return {"status": 200, "json": {"links": {}, "origin": "", "updated": "", "generator": {},
                                            "entry": entries, "paging": {"total": len(entries),
                                                                         "perPage": 30, "offset": 0}}}
        xml = ['<?xml version="1.0" encoding="UTF-8"?>',
               '<feed xmlns="http://www.w3.org/2005/Atom" xmlns:s="http://dev.splunk.com/ns/rest">']
        for e in entries:
            xml.append("<entry><title>%s</title><content type=\"text/xml\"><s:dict>" % e["name"])
            for k, v in e["content"].items():
                xml.append('<s:key name="%s">%s</s:key>' % (k, str(v).replace("&", "&amp;").replace("<", "&lt;")))
            xml.append("</s:dict></content></entry>")
        xml.append("</feed>")
        return {"status": 200, "headers": {"Content-Type": "text/xml"}, "body": "\n".join(xml)}


class TlsServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 64

    def handle_error(self, request, client_address):
        pass  # client hang-ups are part of the scenarios


# ---------------------------------------------------------------------------------------------
# CONNECT proxy (plain HTTP, optional Basic auth)


class ProxyHandler(socketserver.StreamRequestHandler):
    timeout = 30

    def handle(self):
        with STATE.lock:
            STATE.proxy_connections += 1
        try:
            line = self.rfile.readline(8192).decode("latin-1").strip()
            headers = {}
            while True:
                h = self.rfile.readline(8192).decode("latin-1")
                if h in ("\r\n", "\n", ""):
                    break
                k, _, v = h.partition(":")
                headers[k.strip().lower()] = v.strip()
        except (OSError, ValueError):
            return
        parts = line.split()
        entry = {"line": line, "auth": "proxy-authorization" in headers, "t": time.monotonic()}
        with STATE.lock:
            STATE.proxy_requests.append(entry)
        if len(parts) != 3 or parts[0] != "CONNECT":
            self.reply(405, "Method Not Allowed")
            return
        want = STATE.config.get("proxy_auth")
        if want:
            expected = "Basic " + base64.b64encode(want.encode()).decode()
            if headers.get("proxy-authorization") != expected:
                with STATE.lock:
                    STATE.proxy_auth_failures += 1
                self.reply(407, "Proxy Authentication Required",
                           'Proxy-Authenticate: Basic realm="fake-cloud"\r\n')
                return
        host, _, port = parts[1].rpartition(":")
        host = host.strip("[]")
        if host not in ("127.0.0.1", "localhost", "::1") or not port.isdigit():
            self.reply(403, "Forbidden")
            return
        try:
            upstream = socket.create_connection((host, int(port)), timeout=10)
        except OSError:
            self.reply(502, "Bad Gateway")
            return
        with STATE.lock:
            STATE.tunnels += 1
        self.wfile.write(b"HTTP/1.1 200 Connection established\r\n\r\n")
        self.wfile.flush()
        self.pump(self.connection, upstream)

    def reply(self, code, reason, extra=""):
        self.wfile.write(("HTTP/1.1 %d %s\r\n%sContent-Length: 0\r\nConnection: close\r\n\r\n"
                          % (code, reason, extra)).encode())
        self.wfile.flush()

    @staticmethod
    def pump(a, b):
        a.setblocking(True)
        b.setblocking(True)
        socks = [a, b]
        try:
            while not STATE.stop.is_set():
                ready, _, _ = select.select(socks, [], [], 0.2)
                for s in ready:
                    data = s.recv(65536)
                    if not data:
                        return
                    (b if s is a else a).sendall(data)
        except OSError:
            pass
        finally:
            b.close()


class ProxyServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request, client_address):
        pass


# ---------------------------------------------------------------------------------------------
# Control (stdin/stdout, one JSON object per line)


def control(cmd):
    c = cmd.get("cmd")
    with STATE.lock:
        if c == "script":
            key = "%s %s" % (cmd.get("method", "*"), cmd.get("path", "*"))
            STATE.queues.setdefault(key, []).extend(cmd.get("responses", []))
            return {"ok": True, "queued": len(STATE.queues[key])}
        if c == "default":
            key = "%s %s" % (cmd.get("method", "*"), cmd.get("path", "*"))
            if cmd.get("response") is None:
                STATE.defaults.pop(key, None)
            else:
                STATE.defaults[key] = cmd["response"]
            return {"ok": True}
        if c == "clear_scripts":
            STATE.queues.clear()
            STATE.defaults.clear()
            return {"ok": True}
        if c == "config":
            for k, v in cmd.items():
                if k != "cmd":
                    STATE.config[k] = v
            return {"ok": True}
        if c == "records":
            log = cmd.get("log", "audit")
            if cmd.get("replace", True):
                STATE.records[log] = []
            STATE.records[log].extend(cmd.get("records", []))
            return {"ok": True, "count": len(STATE.records[log])}
        if c == "expire_tokens":
            STATE.valid_tokens.clear()
            return {"ok": True}
        if c == "stats":
            return dict(STATE.stats(), ok=True)
        if c == "stat":
            s = STATE.stats()
            key = cmd.get("key", "")
            value = s["requests"].get(key[len("requests:"):], 0) if key.startswith("requests:") else s.get(key)
            return {"ok": value is not None, "value": value if value is not None else 0}
        if c == "requests":
            return {"ok": True, "requests": STATE.requests, "proxy_requests": STATE.proxy_requests}
        if c == "reset_stats":
            STATE.reset_stats()
            return {"ok": True}
    if c == "ping":
        return {"ok": True}
    return {"ok": False, "error": "unknown cmd %r" % c}


def serve(args):
    if args.config:
        with open(args.config) as f:
            STATE.config.update(json.load(f))
    if args.proxy_auth:
        STATE.config["proxy_auth"] = args.proxy_auth
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(args.cert, args.key)
    tls = TlsServer(("127.0.0.1", args.port), TlsHandler)
    tls.ssl_ctx = ctx
    STATE.port = tls.server_address[1]
    threading.Thread(target=tls.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True).start()
    proxy = None
    if args.proxy:
        proxy = ProxyServer(("127.0.0.1", 0), ProxyHandler)
        STATE.proxy_port = proxy.server_address[1]
        threading.Thread(target=proxy.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True).start()
    print("ready port=%d proxy_port=%d" % (STATE.port, STATE.proxy_port), flush=True)
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        try:
            reply = control(json.loads(line))
        except Exception as e:  # a bad command must not kill the server mid-test
            reply = {"ok": False, "error": "%s: %s" % (type(e).__name__, e)}
        sys.stdout.write(json.dumps(reply) + "\n")
        sys.stdout.flush()
    STATE.stop.set()
    tls.shutdown()
    if proxy:
        proxy.shutdown()


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="mode", required=True)
    g = sub.add_parser("gen-certs")
    g.add_argument("dir")
    s = sub.add_parser("serve")
    s.add_argument("--cert", required=True)
    s.add_argument("--key", required=True)
    s.add_argument("--port", type=int, default=0)
    s.add_argument("--proxy", action="store_true")
    s.add_argument("--proxy-auth")
    s.add_argument("--config")
    args = ap.parse_args()
    if args.mode == "gen-certs":
        gen_certs(args.dir)
    else:
        serve(args)


if __name__ == "__main__":
    main()
