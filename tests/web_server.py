"""An HTTP server on 127.0.0.1 that a test starts and stops (nothing reaches the network)."""

from __future__ import annotations

import contextlib
import ssl
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

PROXY_VARIABLES = ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY")


@contextlib.contextmanager
def serving(
    handler: type[BaseHTTPRequestHandler],
    monkeypatch: pytest.MonkeyPatch,
    *,
    tls: ssl.SSLContext | None = None,
) -> Iterator[str]:
    """Serve ``handler`` from a thread, without proxies; yields ``http://127.0.0.1:PORT``
    (``https://localhost:PORT`` with a server-side ``tls`` context)."""
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    if tls is not None:
        httpd.socket = tls.wrap_socket(httpd.socket, server_side=True)
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        port = httpd.server_address[1]
        yield f"https://localhost:{port}" if tls is not None else f"http://127.0.0.1:{port}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(5)
