"""`make run`'s launcher: both servers start on loopback and Ctrl-C stops both cleanly."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from addons.stack import http_get_json

pytestmark = pytest.mark.model


def test_ctrl_c_stops_both_servers(root, tmp_path):
    env = {**os.environ, "RASA_PORT": "5405", "ACTION_PORT": "5455", "TRACKER_DB": str(tmp_path / "t.db")}
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
        while http_get_json("http://127.0.0.1:5405/webhooks/rest/") is None:
            assert proc.poll() is None, proc.stdout.read()
            assert time.monotonic() < deadline, "the assistant did not start"
            time.sleep(1)
        assert http_get_json("http://127.0.0.1:5455/health") == {"status": "ok"}
        proc.send_signal(signal.SIGINT)
        output, _ = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, output
    assert "Stopped." in output
    assert http_get_json("http://127.0.0.1:5405/webhooks/rest/") is None
    assert http_get_json("http://127.0.0.1:5455/health") is None
