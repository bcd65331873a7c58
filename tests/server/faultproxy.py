"""An HTTP proxy between a counter and the district server that misbehaves on cue, the way mountain
links, captive portals and tired proxies do. Loopback only. In front of an HTTPS server it speaks
HTTPS itself, with the test servers' certificate (so a counter's pin holds through it: the faults
tested are the line's, not the certificate's).

Each request takes the next action from `script` (then "forward"):

    forward              pass the request and the answer through
    drop_after           pass the request, let the server apply it, then close without an answer
    hold_after           pass the request, set `applied`, keep the answer until `release` is set
    hold_before          keep the request until `release` is set, then pass it (the client gave up)
    corrupt_request      pass the request with its JSON cut in half (a line that damages data)
    fail_500             answer 500 (an HTML error page) without passing the request
    portal               answer 200 with a captive portal's HTML login page
    portal_redirect      answer 302 to a login page
    json_without_marker_after   pass the request, answer 200 {"ok": true}
    truncate_after       pass the request, answer with the first half of the server's JSON
    missing_id_after     pass the request, answer with one per-event result removed
"""

from __future__ import annotations

import gzip
import json
import socket
import ssl
import threading
from collections import deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx

PORTAL_HTML = (b"<!DOCTYPE html><html><head><title>Wi-Fi</title></head><body>"
               b"<h1>\xc4\x90\xc4\x83ng nh\xe1\xba\xadp Wi-Fi mi\xe1\xbb\x85n ph\xc3\xad</h1></body></html>")
HOLD_LIMIT = 30.0  # a held request never outlives a stuck test by more than this


class FaultProxy:
    def __init__(self, upstream: str) -> None:
        self.upstream = upstream.rstrip("/")
        self.script: deque[str] = deque()
        self.applied = threading.Event()  # the server answered a passed request
        self.release = threading.Event()
        self.requests: list[tuple[str, str, dict[str, str], bytes]] = []  # method, path, headers, body
        self.seen: list[str] = []  # actions taken, in order
        self._lock = threading.Lock()
        tls = None
        if self.upstream.startswith("https://"):
            from tests.server.helpers import certificate, trusting

            cert = certificate()
            tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            tls.load_cert_chain(cert.cert_file, cert.key_file)
            self.fingerprint: str | None = cert.fingerprint
        else:
            self.fingerprint = None
        self.verify: ssl.SSLContext | bool = trusting(cert) if tls else True
        self._http = httpx.Client(timeout=60.0, trust_env=False, verify=self.verify)
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *_args: object) -> None:  # quiet
                pass

            def do_GET(self) -> None:  # noqa: N802
                proxy._handle(self, "GET")

            def do_POST(self) -> None:  # noqa: N802
                proxy._handle(self, "POST")

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        if tls is not None:
            # The handshake happens in each request's own thread (on first read), not in accept().
            self._server.socket = tls.wrap_socket(self._server.socket, server_side=True,
                                                  do_handshake_on_connect=False)
        self.url = f"{'https' if tls else 'http'}://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> FaultProxy:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.release.set()
        self._server.shutdown()
        self._server.server_close()
        self._http.close()

    def then(self, *actions: str) -> FaultProxy:
        """Queue actions for the next requests; `applied` and `release` start afresh."""
        with self._lock:
            self.script.extend(actions)
            self.applied.clear()
            self.release.clear()
        return self

    # --- the handler ----------------------------------------------------------------------------

    def _handle(self, h: BaseHTTPRequestHandler, method: str) -> None:
        length = int(h.headers.get("Content-Length") or 0)
        body = h.rfile.read(length) if length else b""
        headers = {k: v for k, v in h.headers.items()
                   if k.lower() in ("authorization", "content-type", "content-encoding", "accept", "user-agent")}
        with self._lock:
            action = self.script.popleft() if self.script else "forward"
            self.seen.append(action)
            self.requests.append((method, h.path, headers, body))
        if action == "fail_500":
            return self._reply(h, 500, b"<html><body>500 Internal Server Error</body></html>", "text/html")
        if action == "portal":
            return self._reply(h, 200, PORTAL_HTML, "text/html; charset=utf-8")
        if action == "portal_redirect":
            return self._reply(h, 302, b"", "text/html", extra={"Location": "http://10.0.0.1/login"})
        if action == "hold_before":
            self.release.wait(HOLD_LIMIT)
        if action == "corrupt_request":
            gzipped = any(k.lower() == "content-encoding" and v == "gzip" for k, v in headers.items())
            plain = gzip.decompress(body) if gzipped else body
            body = plain[: len(plain) // 2]
            headers = {k: v for k, v in headers.items() if k.lower() != "content-encoding"}
        upstream = self._http.request(method, self.upstream + h.path, headers=headers, content=body)
        self.applied.set()
        content, ctype = upstream.content, upstream.headers.get("content-type", "application/json")
        if action == "drop_after":
            h.close_connection = True
            h.connection.shutdown(socket.SHUT_RDWR)  # the answer is lost on the way back
            return None
        if action == "hold_after":
            self.release.wait(HOLD_LIMIT)
        elif action == "json_without_marker_after":
            content, ctype = b'{"ok": true}', "application/json"
        elif action == "truncate_after":
            content = content[: len(content) // 2]
        elif action == "missing_id_after":
            data = json.loads(content)
            data["results"] = data["results"][1:]
            content = json.dumps(data).encode()
        try:
            return self._reply(h, upstream.status_code, content, ctype)
        except OSError:  # the client gave up (timeout) or was killed meanwhile
            return None

    @staticmethod
    def _reply(h: BaseHTTPRequestHandler, status: int, body: bytes, ctype: str,
               extra: dict[str, str] | None = None) -> None:
        h.send_response(status)
        h.send_header("Content-Type", ctype)
        h.send_header("Content-Length", str(len(body)))
        for k, v in (extra or {}).items():
            h.send_header(k, v)
        h.end_headers()
        h.wfile.write(body)
        h.wfile.flush()
