"""Several Rasa replicas on one machine, on loopback: PostgreSQL (tracker store), Redis (lock
store), nginx in front, two Rasa servers and two action servers. Everything comes from Debian
packages (scripts/install_debian_packages.sh) and runs from a folder of its own, never as the
system's services.

Used by `make scale-out` (scripts/scaleout.py) and tests/test_scaleout.py.
"""

from __future__ import annotations

import logging
import os
import secrets
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from devtools.stack import ROOT, Stack, StackConfig

logger = logging.getLogger(__name__)

PG_BIN = Path("/usr/lib/postgresql/15/bin")
DEBIAN_PACKAGES = [
    f"{PG_BIN}/initdb:postgresql",
    "redis-server:redis-server",
    "/usr/sbin/nginx:nginx",
]

DEPLOY_NGINX_CONF = ROOT / "deploy" / "nginx.conf"
# How long nginx leaves out a replica after one failed request (deploy/nginx.conf: fail_timeout).
FAIL_TIMEOUT_S = 10


def nginx_conf(source: str, home: Path, servers: list[str], host: str, port: int, rate: int) -> str:
    """deploy/nginx.conf (the compose set-up's), made to run here: nginx's files in `home`, the
    replicas at `servers` ("host:port"), listening on host:port, `rate` requests a second per client,
    no page server, and each reply naming the replica that gave it (X-Replica, for the tests).
    Every change must find what it changes: a deploy/nginx.conf of another shape fails loudly."""

    def swap(text: str, old: str, new: str) -> str:
        if old not in text:
            raise ValueError(f"deploy/nginx.conf has no {old!r}: update devtools/scaleout.py nginx_conf")
        return text.replace(old, new)

    primaries = [f"server {s} max_fails=1 fail_timeout={FAIL_TIMEOUT_S}s;" for s in servers]
    replicas = "\n    ".join(primaries + [f"server {s} backup max_fails=0;" for s in servers])
    sticky = " ".join(f"server {s};" for s in servers)
    conf = swap(
        source,
        "worker_processes auto;",
        f"worker_processes 1;\npid {home}/nginx.pid;\nerror_log {home}/nginx-error.log warn;",
    )
    conf = swap(
        conf,
        "http {\n",
        f"http {{\n  client_body_temp_path {home}/body; proxy_temp_path {home}/proxy;\n"
        f"  fastcgi_temp_path {home}/fastcgi; uwsgi_temp_path {home}/uwsgi; scgi_temp_path {home}/scgi;\n",
    )
    conf = swap(conf, "rate=5r/s;", f"rate={rate}r/s;")
    conf = swap(conf, "burst=20 nodelay;", f"burst={rate} nodelay;")
    conf = swap(
        conf,
        f"server rasa:5005 max_fails=1 fail_timeout={FAIL_TIMEOUT_S}s;\n    server rasa:5005 backup max_fails=0;",
        replicas,
    )
    conf = swap(
        conf, "upstream rasa_sticky { ip_hash; server rasa:5005; }", f"upstream rasa_sticky {{ ip_hash; {sticky} }}"
    )
    conf = swap(conf, "  upstream web { server web:8080; }\n", "")
    conf = swap(conf, "    location / { proxy_pass http://web; }\n", "")
    conf = swap(conf, "listen 80;", f"listen {host}:{port};")
    return swap(
        conf,
        "proxy_set_header X-Request-ID $request_id;",
        "proxy_set_header X-Request-ID $request_id;\n      add_header X-Replica $upstream_addr always;",
    )


@dataclass
class ScaleOutConfig:
    host: str = "127.0.0.1"
    nginx_port: int = 8300
    rasa_ports: tuple[int, ...] = (5305, 5306)
    action_ports: tuple[int, ...] = (5355, 5356)
    pg_port: int = 5442
    redis_port: int = 6389
    workdir: Path | None = None  # default: a new temporary folder
    log_dir: Path | None = None
    rate_per_client: int = 1000  # nginx limit_req; high for load tests from one address
    extra_env: dict[str, str] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.nginx_port}"

    @property
    def tracker_url(self) -> str:
        return f"postgresql://rasa@{self.host}:{self.pg_port}/rasa"


def _wait_port(host: str, port: int, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            sock.settimeout(1)
            if sock.connect_ex((host, port)) == 0:
                return
        time.sleep(0.3)
    raise TimeoutError(f"nothing listens on {host}:{port}")


def start_redis(host: str, port: int) -> subprocess.Popen:
    """Debian's redis-server on host:port, in memory only (locks need no disk); returns once it listens."""
    proc = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", host, "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        start_new_session=True,
    )
    _wait_port(host, port)
    return proc


class ScaleOut:
    def __init__(self, config: ScaleOutConfig):
        self.config = config
        self.dir = config.workdir or Path(tempfile.mkdtemp(prefix="ahsct-scaleout-"))
        self.procs: dict[str, subprocess.Popen] = {}
        self.replicas: list[Stack] = []

    # -- the data stores and nginx -------------------------------------------------------------
    def _as_postgres(self, *args: str) -> list[str]:
        return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else list(args)

    def start_postgres(self) -> None:
        data = self.dir / "pg"
        data.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres")
            shutil.chown(data, "postgres")
        subprocess.run(
            self._as_postgres(str(PG_BIN / "initdb"), "-D", str(data), "-U", "rasa", "--auth=trust", "-E", "UTF8"),
            check=True,
            capture_output=True,
        )
        self.procs["postgres"] = subprocess.Popen(
            self._as_postgres(
                str(PG_BIN / "postgres"),
                "-D",
                str(data),
                "-p",
                str(self.config.pg_port),
                "-k",
                str(data),
                "-c",
                f"listen_addresses={self.config.host}",
                "-c",
                "max_connections=200",
            ),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        _wait_port(self.config.host, self.config.pg_port)
        for _ in range(30):
            created = subprocess.run(self._pg_client("createdb", "rasa"), capture_output=True)
            if created.returncode == 0:
                return
            time.sleep(0.5)
        raise RuntimeError(f"could not create the database: {created.stderr.decode(errors='replace')}")

    def start_redis(self) -> None:
        self.procs["redis"] = start_redis(self.config.host, self.config.redis_port)

    def start_nginx(self, name: str = "nginx", port: int | None = None, rate: int | None = None) -> None:
        """nginx in front of the replicas. Another `name` starts another nginx (its own folder, port and
        rate per client), for example to test the rate limit beside a load test's generous one."""
        home = self.dir if name == "nginx" else self.dir / name
        home.mkdir(exist_ok=True)
        port = port or self.config.nginx_port
        rate = rate or self.config.rate_per_client
        servers = [f"{self.config.host}:{p}" for p in self.config.rasa_ports]
        conf = home / "nginx.conf"
        source = DEPLOY_NGINX_CONF.read_text(encoding="utf-8")
        conf.write_text(nginx_conf(source, home, servers, self.config.host, port, rate))
        user = ["-g", "daemon off; user root;"] if os.geteuid() == 0 else ["-g", "daemon off;"]
        self.procs[name] = subprocess.Popen(["nginx", "-p", str(home), "-c", str(conf), *user], start_new_session=True)
        _wait_port(self.config.host, port)

    # -- the replicas ---------------------------------------------------------------------------
    def start_replicas(self) -> None:
        env = {
            "TRACKER_URL": self.config.tracker_url,
            "LOCK_STORE": "redis",
            "REDIS_HOST": self.config.host,
            "REDIS_PORT": str(self.config.redis_port),
            # A replica that dies holding a conversation's lock blocks that conversation until the
            # lock expires (Rasa's default: 60 s, as long as the response timeout). 15 s is far
            # above the time one message takes here (p99 6 s with 50 conversations at once).
            "TICKET_LOCK_LIFETIME": "15",
            # A turn must end before its lock does (addons/rasa_fixes.py, action_timeout).
            "ACTION_TIMEOUT": "10",
            # Both replicas must name conversations alike (addons/settings.py, conversation_key).
            "CONVERSATION_ID_KEY": os.environ.get("CONVERSATION_ID_KEY") or secrets.token_hex(32),
            **self.config.extra_env,
        }
        for n, (rasa_port, action_port) in enumerate(
            zip(self.config.rasa_ports, self.config.action_ports, strict=True)
        ):
            log_dir = self.config.log_dir / f"replica{n + 1}" if self.config.log_dir else None
            stack = Stack(
                StackConfig(
                    host=self.config.host, rasa_port=rasa_port, action_port=action_port, log_dir=log_dir, extra_env=env
                )
            )
            stack.start_actions()
            stack.start_rasa()
            self.replicas.append(stack)
        for stack in self.replicas:
            stack.wait_ready(timeout=400)

    def start(self) -> None:
        self.start_postgres()
        self.start_redis()
        self.start_replicas()
        self.start_nginx()

    def stop(self) -> None:
        for stack in self.replicas:
            stack.stop()
        for name in [n for n in self.procs if n not in ("redis", "postgres")] + ["redis", "postgres"]:
            proc = self.procs.pop(name, None)
            if proc is not None and proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(20)
                except subprocess.TimeoutExpired:
                    proc.kill()
        if self.config.workdir is None:
            shutil.rmtree(self.dir, ignore_errors=True)

    def _pg_client(self, tool: str, *args: str) -> list[str]:
        """A PostgreSQL client command (createdb, psql) for our server, as the rasa role."""
        connection = ["-h", self.config.host, "-p", str(self.config.pg_port), "-U", "rasa"]
        return self._as_postgres(str(PG_BIN / tool), *connection, *args)

    def psql(self, query: str) -> str:
        result = subprocess.run(
            self._pg_client("psql", "-d", "rasa", "-At", "-c", query), check=True, capture_output=True, text=True
        )
        return result.stdout.strip()
