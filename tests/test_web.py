"""The demo page server (devtools/web.py) and the socket.io origin allow-list, without the model."""

from __future__ import annotations

import pytest
from aiohttp.test_utils import TestClient, TestServer

from addons.settings import DEFAULT_ALLOWED_ORIGINS, allowed_origins
from devtools.web import make_app

ASSISTANT = "http://127.0.0.1:5005"


def test_allowed_origins_default_to_the_demo_page():
    assert allowed_origins("") == list(DEFAULT_ALLOWED_ORIGINS)


def test_allowed_origins_from_the_environment(monkeypatch):
    monkeypatch.setenv("ALLOWED_ORIGINS", "https://www.mssociety.example/, https://clinic.example")
    assert allowed_origins() == ["https://www.mssociety.example", "https://clinic.example"]


def test_any_origin_is_refused():
    with pytest.raises(ValueError, match="ALLOWED_ORIGINS"):
        allowed_origins("https://a.example,*")


@pytest.fixture()
async def client():
    async with TestClient(TestServer(make_app(ASSISTANT))) as test_client:
        yield test_client


async def test_demo_page_names_the_assistant_and_locks_down_scripts(client):
    response = await client.get("/")
    page = await response.text()
    assert response.status == 200
    assert f'data-server="{ASSISTANT}"' in page and "{{" not in page
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert f"connect-src 'self' {ASSISTANT} ws://127.0.0.1:5005" in policy
    assert "Server" not in response.headers


@pytest.mark.parametrize("path", ["/widget/ahsct-widget.js", "/widget/render.js", "/vendor/purify.min.js"])
async def test_widget_and_pinned_vendor_files_are_served_from_here(client, path):
    response = await client.get(path)
    assert response.status == 200
    assert response.headers["Content-Type"].startswith("text/javascript")
    assert response.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("path", ["/widget/secret.py", "/widget/..%2F..%2Faddons%2Fweb.py", "/vendor/lodash.js"])
async def test_nothing_else_is_served(client, path):
    assert (await client.get(path)).status == 404


@pytest.mark.parametrize("path", ["/", "/widget/ahsct-widget.js"])
async def test_a_large_body_is_refused_without_being_read(client, path):
    """The page server reads no request body; a 2 MB one is refused at once (2.3 s before)."""
    response = await client.post(path, data=b"x" * 2_000_000)
    assert response.status in (405, 413)
    assert (await client.get("/widget/render.js")).status == 200
