"""What every request to the Rasa server must be before any work, set by the channels Rasa loads (so
`rasa run` gets it too):

- Its body at most MAX_REQUEST_BYTES (16 KB; Sanic's default is 100 MB): 413 before it is read.
- Well-formed length headers: one Content-Length of digits only, or Transfer-Encoding: chunked, not
  both. Sanic 21.12 takes `Content-Length: -1` as a body with no end and spins the event loop for
  ever on one request (the whole server hung); "abc" or another transfer coding gave a 500 that
  logged the header. These get a 400, checked on Sanic's `http.lifecycle.request` signal, before the
  body is read.
- The logs of Sanic, engine.io and asyncio keep no request data (addons/log_filters.py).
"""

from __future__ import annotations

import logging
from typing import Any

from sanic import Blueprint
from sanic.exceptions import InvalidUsage

from addons import log_filters, settings

MAX_CONTENT_LENGTH_DIGITS = 12


class BadLengthHeaders(InvalidUsage):
    """400: the request's length headers are malformed (see the module docstring)."""

    def __init__(self) -> None:
        super().__init__("Bad Request")


def bad_length_headers(headers: Any) -> str | None:
    """Why a request's length headers are not acceptable, or None."""
    lengths = headers.getall("content-length", [])
    codings = headers.getall("transfer-encoding", [])
    if len(lengths) > 1:
        return "more than one Content-Length"
    if lengths and not (lengths[0].isdigit() and lengths[0].isascii() and len(lengths[0]) <= MAX_CONTENT_LENGTH_DIGITS):
        return "a Content-Length that is not a number of bytes"
    if codings and (len(codings) > 1 or codings[0].strip().lower() != "chunked"):
        return "a Transfer-Encoding other than chunked"
    if codings and lengths:
        return "both Content-Length and Transfer-Encoding"
    return None


def guard_requests(bp: Blueprint) -> None:
    """Register the request-size limit, the length-header check and the log filters (see above)."""

    @bp.listener("before_server_start")
    async def limit(app: Any, _loop: Any) -> None:
        app.config.REQUEST_MAX_SIZE = min(int(app.config.REQUEST_MAX_SIZE), settings.max_request_bytes())
        log_filters.quiet(*log_filters.SERVER_LOGGERS)
        logging.getLogger("engineio.server").setLevel(logging.WARNING)

    @bp.signal("http.lifecycle.request")
    async def well_formed(request: Any, **_: Any) -> None:
        if bad_length_headers(request.headers):
            raise BadLengthHeaders()
