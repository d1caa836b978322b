"""`python -m addons.server run ...`: Rasa's own command line, with addons.rasa_fixes applied first.

Takes exactly the arguments of `rasa` (for example `python -m addons.server run --model ...`).
ACTION_SERVER_URL, if set, replaces the action server URL of the endpoints file (endpoints.yml
keeps a loopback default so that plain `rasa shell` works): the launcher writes a copy with that
URL to a private temporary file and passes it to Rasa instead.
"""

from __future__ import annotations

import atexit
import os
import sys
import tempfile
from pathlib import Path

import yaml


def endpoints_with_action_url(argv: list[str], url: str) -> list[str]:
    """`argv` with `--endpoints FILE` pointing to a copy of FILE whose action endpoint is `url`."""
    args = list(argv)
    index = args.index("--endpoints") + 1 if "--endpoints" in args else None
    source = Path(args[index]) if index is not None and index < len(args) else Path("endpoints.yml")
    endpoints = yaml.safe_load(source.read_text(encoding="utf-8")) or {}
    endpoints.setdefault("action_endpoint", {})["url"] = url
    handle, path = tempfile.mkstemp(prefix="endpoints-", suffix=".yml")
    with os.fdopen(handle, "w", encoding="utf-8") as copy:
        yaml.safe_dump(endpoints, copy, sort_keys=False)
    atexit.register(lambda: Path(path).unlink(missing_ok=True))
    if index is not None and index < len(args):
        args[index] = path
    else:
        args += ["--endpoints", path]
    return args


def main() -> None:
    from addons import rasa_fixes, settings

    rasa_fixes.apply()
    url = settings.action_server_url()
    if url and len(sys.argv) > 1 and sys.argv[1] in ("run", "shell"):
        sys.argv = [sys.argv[0], *endpoints_with_action_url(sys.argv[1:], url)]
    from rasa.__main__ import main as rasa_main

    rasa_main()


if __name__ == "__main__":
    main()
