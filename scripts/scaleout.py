"""`make scale-out`: two Rasa replicas and two action servers behind nginx, over PostgreSQL
and Redis, all on loopback (devtools/scaleout.py). Ctrl-C stops everything.

Then: POST http://127.0.0.1:8300/webhooks/rest/webhook  (the X-Replica header names the replica)
"""

from __future__ import annotations

import logging
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from devtools.scaleout import ScaleOut, ScaleOutConfig
from devtools.stack import run_until_stopped

logger = logging.getLogger("scale-out")


def main() -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s scale-out  %(message)s")
    cluster = ScaleOut(ScaleOutConfig(rate_per_client=5))

    def start() -> None:
        cluster.start()
        logger.info(
            "Running: POST %s/webhooks/rest/webhook (PostgreSQL :%s, Redis :%s, Rasa %s)",
            cluster.config.url,
            cluster.config.pg_port,
            cluster.config.redis_port,
            cluster.config.rasa_ports,
        )

    def wait() -> int:
        while True:
            time.sleep(1)

    return run_until_stopped(start, wait, cluster.stop)


if __name__ == "__main__":
    sys.exit(main())
