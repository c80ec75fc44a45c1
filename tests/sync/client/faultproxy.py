"""A loopback HTTP proxy in front of the real server that injects network faults on request.

It forwards every request to the server. A rule can make it, for matching requests: drop the
answer after the server has handled the request (a lost answer), cut the answer's body halfway, or
flip bytes in the body (a corrupt download); or answer ``429 Too Many Requests`` itself, as a
throttling hub would. Only the network is faked; the server is real.
"""

from __future__ import annotations

import http.client
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

FORWARDED = ("drop_answer", "cut_body", "corrupt_body", "garbage_body")
HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "proxy-connection", "upgrade"}


@dataclass
class Fault:
    method: str
    path_prefix: str
    kind: str  # "drop_answer" | "cut_body" | "corrupt_body" | "garbage_body" | "busy"
    times: int = 1
    hits: int = 0
    retry_after: str | None = None  # "busy": the Retry-After header sent with the 429

    def matches(self, method: str, path: str) -> bool:
        return self.times > 0 and method == self.method and path.startswith(self.path_prefix)


class FaultProxy:
    def __init__(self, upstream: str) -> None:
        parts = urlsplit(upstream)
        self.upstream_host = parts.hostname or "127.0.0.1"
        self.upstream_port = parts.port or 80
        self.faults: list[Fault] = []
        self.lock = threading.Lock()
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *_args: object) -> None:
                pass

            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
                busy = proxy.take(self.command, self.path, kinds=("busy",))
                if busy is not None:  # a throttling hub: 429, the request not forwarded
                    self._busy(busy.retry_after)
                    return
                upstream = http.client.HTTPConnection(
                    proxy.upstream_host, proxy.upstream_port, timeout=60
                )
                try:
                    upstream.request(self.command, self.path, body=body, headers=headers)
                    answer = upstream.getresponse()
                    payload = answer.read()
                finally:
                    upstream.close()
                fault = proxy.take(self.command, self.path, kinds=FORWARDED)
                if fault is not None and fault.kind == "drop_answer":
                    self.close_connection = True
                    self.connection.close()  # the server did the work; the client never hears
                    return
                self.send_response(answer.status, answer.reason)
                for key, value in answer.getheaders():
                    if key.lower() not in HOP_BY_HOP and key.lower() != "content-length":
                        self.send_header(key, value)
                if fault is not None and fault.kind == "garbage_body":
                    payload = b'{"changes": [{"type": "asset", "id": 5}], "cursor": 1}'
                length = answer.getheader("Content-Length") if self.command == "HEAD" else None
                self.send_header("Content-Length", length or str(len(payload)))
                self.end_headers()
                if self.command == "HEAD":
                    return
                if fault is not None and fault.kind == "cut_body":
                    self.wfile.write(payload[: len(payload) // 2])
                    self.wfile.flush()
                    self.close_connection = True
                    self.connection.close()
                    return
                if fault is not None and fault.kind == "corrupt_body" and payload:
                    payload = bytes([payload[0] ^ 0xFF]) + payload[1:]
                self.wfile.write(payload)

            def _busy(self, retry_after: str | None) -> None:
                payload = (
                    b'{"error": {"code": "too_many_requests", '
                    b'"message": "Too many requests.", "details": {}}}'
                )
                self.send_response(429, "Too Many Requests")
                if retry_after is not None:
                    self.send_header("Retry-After", retry_after)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(payload)

            do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _handle

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def inject(
        self,
        method: str,
        path_prefix: str,
        kind: str,
        times: int = 1,
        *,
        retry_after: str | None = None,
    ) -> Fault:
        fault = Fault(method, path_prefix, kind, times, retry_after=retry_after)
        with self.lock:
            self.faults.append(fault)
        return fault

    def take(self, method: str, path: str, *, kinds: tuple[str, ...]) -> Fault | None:
        with self.lock:
            for fault in self.faults:
                if fault.kind in kinds and fault.matches(method, path):
                    fault.times -= 1
                    fault.hits += 1
                    return fault
        return None

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
