"""`make run`: start the action server, the Rasa server and the demo page on loopback; Ctrl-C stops them.

Environment: HOST (127.0.0.1), RASA_PORT (5005), ACTION_PORT (5055), WEB_PORT (8080), MODEL,
TRACKER_DB (var/tracker.db), ALLOWED_ORIGINS, CORS_ORIGINS, RASA_API_TOKEN / RASA_JWT_SECRET /
ENABLE_API, TELEGRAM_*. See docs/architecture.md, "Configuration".
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from devtools.stack import Stack, StackConfig, busy_ports, run_until_stopped

logger = logging.getLogger("run")


def main() -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s run  %(message)s")
    try:
        config = StackConfig.from_env()
    except ValueError as exc:
        logger.error("%s", exc)
        return 2
    ports = {"RASA_PORT": config.rasa_port, "ACTION_PORT": config.action_port, "WEB_PORT": config.web_port}
    busy = busy_ports(config.host, ports)
    if busy:
        logger.error(
            "%s already in use on %s: is the assistant already running? Stop it, or set %s to a free port.",
            ", ".join(f"port {ports[name]}" for name in busy),
            config.host,
            " / ".join(busy),
        )
        return 2
    stack = Stack(config)

    def start() -> None:
        stack.start_actions()
        stack.start_rasa()
        stack.start_web()
        stack.wait_ready()
        logger.info("The assistant is running. Demo page with the chat widget: %s", config.web_url)
        logger.info(
            "REST: POST %s/webhooks/rest/webhook  socket.io: %s/socket.io",
            config.rasa_url,
            config.rasa_url,
        )
        logger.info(
            'Try:  curl -s %s/webhooks/rest/webhook -d \'{"sender":"me","message":"is ahsct fda approved?"}\'',
            config.rasa_url,
        )

    return run_until_stopped(start, stack.watch, stack.stop)


if __name__ == "__main__":
    sys.exit(main())
