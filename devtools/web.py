"""The demo page and the chat widget's files, served on http://127.0.0.1:8080 by `make run`.

    /                          web/index.html, a page about AHSCT with the widget on it
    /widget/<file>             the widget (web/widget/): the one <script> a site adds, its CSS
    /vendor/socket.io.min.js   socket.io-client and DOMPurify from node_modules (pinned in
    /vendor/purify.min.js      package-lock.json): served from here, never from a CDN

Usage: python -m devtools.web [--host 127.0.0.1] [--port 8080] [--assistant-url http://127.0.0.1:5005]
"""

from __future__ import annotations

import argparse
import logging
import os
from pathlib import Path
from urllib.parse import urlparse

from aiohttp import web

from addons import log_filters

ROOT = Path(__file__).resolve().parent.parent
WEB = ROOT / "web"
VENDOR = {
    "socket.io.min.js": ROOT / "node_modules" / "socket.io-client" / "dist" / "socket.io.min.js",
    "purify.min.js": ROOT / "node_modules" / "dompurify" / "dist" / "purify.min.js",
}
WIDGET_FILES = {"ahsct-widget.js", "ahsct-widget.css", "render.js", "demo-page.css"}
MAX_BODY_BYTES = 16 * 1024
CONTENT_TYPES = {".js": "text/javascript", ".css": "text/css", ".html": "text/html"}

logger = logging.getLogger(__name__)


def security_headers(assistant_url: str) -> dict[str, str]:
    """The demo page may load scripts only from itself and talk only to the assistant."""
    server = urlparse(assistant_url)
    ws = f"{'wss' if server.scheme == 'https' else 'ws'}://{server.netloc}"
    return {
        "Content-Security-Policy": (
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            f"connect-src 'self' {assistant_url} {ws}; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
        ),
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
    }


def make_app(assistant_url: str) -> web.Application:
    headers = security_headers(assistant_url)

    def file_response(path: Path) -> web.Response:
        if not path.is_file():
            raise web.HTTPNotFound(text=f"{path.name} not found (run `make setup`)")
        return web.Response(
            body=path.read_bytes(),
            content_type=CONTENT_TYPES.get(path.suffix, "application/octet-stream"),
            charset="utf-8",
            headers={"X-Content-Type-Options": "nosniff", "Cache-Control": "no-cache"},
        )

    async def index(_: web.Request) -> web.Response:
        page = (WEB / "index.html").read_text(encoding="utf-8").replace("{{ASSISTANT_URL}}", assistant_url)
        return web.Response(text=page, content_type="text/html", charset="utf-8", headers=headers)

    async def widget(request: web.Request) -> web.Response:
        name = request.match_info["name"]
        if name not in WIDGET_FILES:
            raise web.HTTPNotFound()
        return file_response(WEB / "widget" / name)

    async def vendor(request: web.Request) -> web.Response:
        path = VENDOR.get(request.match_info["name"])
        if path is None:
            raise web.HTTPNotFound()
        return file_response(path)

    async def no_content(_: web.Request) -> web.Response:
        return web.Response(status=204)

    # The page only serves files: any request body over 16 KB is refused (413) before it is read.
    app = web.Application(client_max_size=MAX_BODY_BYTES)

    async def no_server_header(_: web.Request, response: web.StreamResponse) -> None:
        response.headers.pop("Server", None)  # which server and version it is: nobody's business

    app.on_response_prepare.append(no_server_header)  # type: ignore[arg-type]  # aiohttp 3.9 types the signal oddly
    app.router.add_get("/", index)
    app.router.add_get("/widget/{name}", widget)
    app.router.add_get("/vendor/{name}", vendor)
    app.router.add_get("/favicon.ico", no_content)
    return app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("WEB_PORT", "8080")))
    parser.add_argument("--assistant-url", default=os.environ.get("ASSISTANT_URL", "http://127.0.0.1:5005"))
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s web  %(message)s")
    log_filters.quiet(*log_filters.WEB_LOGGERS)  # a malformed request line is logged without its bytes
    missing = [str(p) for p in VENDOR.values() if not p.is_file()]
    if missing:
        raise SystemExit(f"missing {', '.join(missing)}: run `make setup` (npm ci)")
    web.run_app(make_app(args.assistant_url), host=args.host, port=args.port, print=None, access_log=None)


if __name__ == "__main__":
    main()
