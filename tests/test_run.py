"""`make run`'s launcher: the servers and the demo page start on loopback and Ctrl-C stops them all."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from addons.stack import http_get_json, http_ok

pytestmark = pytest.mark.model


def test_ctrl_c_stops_every_server(root, tmp_path):
    ports = {"RASA_PORT": "5405", "ACTION_PORT": "5455", "WEB_PORT": "8405"}
    env = {**os.environ, **ports, "TRACKER_DB": str(tmp_path / "t.db")}
    proc = subprocess.Popen(
        [sys.executable, "scripts/run.py"],
        cwd=root,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 240
        while "Press Ctrl-C" not in (line := proc.stdout.readline()):  # printed once every server is ready
            assert line or proc.poll() is None, "the launcher exited while starting"
            assert time.monotonic() < deadline, "the assistant did not start"
        assert http_get_json("http://127.0.0.1:5455/health") == {"status": "ok"}
        assert http_get_json("http://127.0.0.1:5405/webhooks/rest/") == {"status": "ok"}
        assert http_ok("http://127.0.0.1:8405/")
        proc.send_signal(signal.SIGINT)
        output, _ = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:  # a failed assertion above: still stop the servers, not just the launcher
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                proc.kill()
    assert proc.returncode == 0, output
    assert "Stopped." in output
    assert http_get_json("http://127.0.0.1:5405/webhooks/rest/") is None
    assert http_get_json("http://127.0.0.1:5455/health") is None
    assert not http_ok("http://127.0.0.1:8405/")
