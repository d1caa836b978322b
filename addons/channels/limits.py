"""The Rasa server's request-size limit, set by the channels Rasa loads (so `rasa run` gets it too).

Sanic reads the whole body of a request before a handler sees it; its default limit is 100 MB.
Here it is MAX_REQUEST_BYTES (32 KB): a larger body gets 413 "Payload Too Large" before any work.
"""

from __future__ import annotations

from typing import Any

from sanic import Blueprint

from addons import settings


def limit_request_size(bp: Blueprint) -> None:
    """Lower the server's REQUEST_MAX_SIZE to MAX_REQUEST_BYTES when it starts (never raise it)."""

    @bp.listener("before_server_start")
    async def limit(app: Any, _loop: Any) -> None:
        app.config.REQUEST_MAX_SIZE = min(int(app.config.REQUEST_MAX_SIZE), settings.max_request_bytes())
