"""Start the action server: validate the knowledge file first, refuse to start if it is invalid.

python -m actions            # 127.0.0.1:5055 unless ACTION_HOST / ACTION_PORT say otherwise
"""

from __future__ import annotations

import logging
import os
import sys
from typing import Any

from actions.config import action_host, action_port
from actions.knowledge.loader import KnowledgeError

logger = logging.getLogger("actions")


def main() -> int:
    logging.basicConfig(
        level=os.environ.get("LOG_LEVEL", "INFO"), format="%(asctime)s %(levelname)s %(name)s  %(message)s"
    )
    from actions.store import get_knowledge

    try:
        knowledge = get_knowledge()
    except KnowledgeError as exc:
        logger.error("Refusing to start: invalid knowledge file\n%s", exc)
        return 2
    logger.info("Knowledge file %s: %d entries", knowledge.path, len(knowledge.entries))

    os.environ["SANIC_HOST"] = action_host()  # rasa_sdk reads the bind address from here
    serve(action_port())
    return 0


def serve(port: int) -> None:
    """rasa_sdk's endpoint.run, with a check of the length headers before any body is read: Sanic
    21.12 spins for ever on `Content-Length: -1` (addons/channels/limits.py has the same check
    for the Rasa server)."""
    from rasa_sdk import utils
    from rasa_sdk.endpoint import create_app
    from sanic import response

    from addons.channels.limits import BadLengthHeaders, bad_length_headers

    app = create_app("actions", cors_origins=[])

    @app.signal("http.lifecycle.request")
    async def well_formed(request: Any, **_: Any) -> None:
        if bad_length_headers(request.headers):
            raise BadLengthHeaders()

    # rasa_sdk answers every exception with a 500 that quotes the request; this one is the client's.
    @app.exception(BadLengthHeaders)
    async def bad_request(_request: Any, _exception: Exception) -> Any:
        return response.text("Bad Request", status=400)

    app.run(action_host(), port, workers=utils.number_of_sanic_workers())


if __name__ == "__main__":
    sys.exit(main())
