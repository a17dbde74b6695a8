"""Who may write, and proof that a write was meant: the access token and CSRF checks.

Reads are open to whoever can reach the server (by default only this machine). Every write
(a label, a job, an upload) passes :func:`check_write`:

* With a token configured (``SYNTH_SERVE__TOKEN``; required off loopback), the request carries
  it as ``Authorization: Bearer``, an ``X-Synth-Token`` header or the cookie that ``/login``
  sets.
* It was sent by synth's own pages or a deliberate client, not forged by another site: a form
  carries the app's CSRF token (rendered into every form), a script sends it as
  ``X-CSRF-Token``, or the body is JSON (which a cross-site form cannot send). A foreign
  ``Origin`` is refused outright.
"""

from __future__ import annotations

import hmac
import ipaddress
from urllib.parse import urlsplit

from fastapi import HTTPException, Request

LOOPBACK_NAMES = ["127.0.0.1", "localhost", "::1", "[::1]"]
TOKEN_COOKIE = "synth_token"


def is_loopback(host: str) -> bool:
    """Whether ``host`` is reachable from this machine only."""
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def same_secret(a: str | None, b: str | None) -> bool:
    return bool(a) and bool(b) and hmac.compare_digest(str(a), str(b))


def presented_token(request: Request) -> str | None:
    auth = request.headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        return auth[7:].strip()
    return request.headers.get("x-synth-token") or request.cookies.get(TOKEN_COOKIE)


def check_write(request: Request, csrf_field: str | None = None) -> None:
    """Refuse a write (403) that lacks the token or could have been forged by another site."""
    web = request.app.state.web
    origin = request.headers.get("origin")
    if origin and origin != "null" and urlsplit(origin).netloc != request.headers.get("host"):
        raise HTTPException(403, "writes from another site's page are refused")
    if web.token is not None and not same_secret(presented_token(request), web.token):
        raise HTTPException(
            403, "this server needs its access token for writes: log in at /login first"
        )
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if same_secret(csrf_field, web.csrf) or same_secret(
        request.headers.get("x-csrf-token"), web.csrf
    ):
        return
    if content_type == "application/json":
        return
    raise HTTPException(403, "the form is out of date (missing CSRF token): reload the page")


class BodyLimit:
    """Refuse a request body larger than ``limit`` bytes before any of it is read (413).

    Browsers send ``Content-Length`` with every form and upload, so an oversized report is
    refused before it fills memory; the upload route checks the size it read as well.
    """

    def __init__(self, app, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "http":
            length = dict(scope["headers"]).get(b"content-length", b"0")
            if not length.isdigit() or int(length) > self.limit:
                body = b'{"error": "Too large", "message": "the request body is too large"}'
                await send(
                    {
                        "type": "http.response.start",
                        "status": 413,
                        "headers": [(b"content-type", b"application/json")],
                    }
                )
                await send({"type": "http.response.body", "body": body})
                return
        await self.app(scope, receive, send)
