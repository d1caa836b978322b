"""`make run`'s launcher: the servers and the demo page start on loopback and Ctrl-C stops them all."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time

import pytest

from devtools.stack import Stack, StackConfig, http_get_json, http_ok

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
        seen: list[str] = []
        while "Press Ctrl-C" not in (line := proc.stdout.readline()):  # printed once every server is ready
            seen.append(line)
            assert line or proc.poll() is None, "the launcher exited while starting"
            assert time.monotonic() < deadline, "the assistant did not start"
        assert http_get_json("http://127.0.0.1:5455/health") == {"status": "ok"}
        assert http_get_json("http://127.0.0.1:5405/webhooks/rest/") == {"status": "ok"}
        assert http_ok("http://127.0.0.1:8405/")

        # A server that dies is started again, and the others keep serving meanwhile.
        [actions_pid] = re.findall(r"started actions \(pid (\d+)\)", "".join(seen))
        os.kill(int(actions_pid), signal.SIGKILL)
        deadline = time.monotonic() + 120
        while "restarting it in" not in (line := proc.stdout.readline()):
            seen.append(line)
            assert line and time.monotonic() < deadline, "the launcher did not notice the action server dying"
        assert "actions stopped unexpectedly (killed by SIGKILL)" in line
        assert http_get_json("http://127.0.0.1:5405/webhooks/rest/") == {"status": "ok"}  # Rasa still up
        while http_get_json("http://127.0.0.1:5455/health") != {"status": "ok"}:
            assert time.monotonic() < deadline, "the action server was not started again"
            time.sleep(0.5)
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


class CrashingStack(Stack):
    """A stack whose action server exits at once, every time it is started."""

    def start_actions(self) -> None:
        self._spawn("actions", [sys.executable, "-c", "import sys; sys.exit(3)"])


def test_a_server_that_keeps_crashing_stops_the_launcher_with_a_clear_message(tmp_path, caplog):
    stack = CrashingStack(StackConfig(log_dir=tmp_path))
    stack.start_actions()
    start = time.monotonic()
    with caplog.at_level("INFO"):
        code = stack.watch(max_crashes=3, window=60, first_delay=0.05)
    stack.stop()
    assert code == 1
    assert time.monotonic() - start < 30
    restarts = [r.message for r in caplog.records if "restarting it in" in r.message]
    assert len(restarts) == 3 and all("actions stopped unexpectedly (exit code 3)" in m for m in restarts)
    assert "actions stopped 4 times in 60 s (last exit code 3); not restarting it again" in caplog.records[-1].message


def test_the_launcher_refuses_to_start_on_a_port_already_in_use(root, tmp_path):
    """An earlier `make run` still holding its ports: the new one said "rasa is ready" (the old server
    answered) and its action server restarted in a loop on "address already in use"."""
    import socket

    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        env = {**os.environ, "RASA_PORT": "5406", "ACTION_PORT": str(port), "WEB_PORT": "8406"}
        env["TRACKER_DB"] = str(tmp_path / "t.db")
        done = subprocess.run(
            [sys.executable, "scripts/run.py"], cwd=root, env=env, capture_output=True, text=True, timeout=60
        )
    assert done.returncode == 2
    assert f"port {port} already in use" in done.stderr + done.stdout and "ACTION_PORT" in done.stderr + done.stdout
    assert "started" not in done.stderr + done.stdout  # nothing was started


def test_busy_ports_names_only_the_ports_in_use():
    import socket

    from devtools.stack import busy_ports

    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        taken = holder.getsockname()[1]
        with socket.socket() as spare:
            spare.bind(("127.0.0.1", 0))
            free = spare.getsockname()[1]
        assert busy_ports("127.0.0.1", {"A": taken, "B": free}) == ["A"]
