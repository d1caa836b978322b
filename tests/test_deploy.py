"""The deployment files agree with the Makefile, the Dockerfile, endpoints.yml and the code:
images, ports, commands and environment variables. (No Docker or cluster is needed to run this.)"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from devtools.stack import Stack, StackConfig

PORTS = {"rasa": StackConfig.rasa_port, "actions": StackConfig.action_port, "web": StackConfig.web_port}


@pytest.fixture(scope="module")
def makefile_image(root):
    return re.search(r"^IMAGE\s*:=\s*(\S+)\s*$", (root / "Makefile").read_text(), re.M).group(1)


@pytest.fixture(scope="module")
def compose(root):
    return yaml.safe_load((root / "docker-compose.yml").read_text())


@pytest.fixture(scope="module")
def k8s(root):
    docs = []
    for path in sorted((root / "deploy" / "k8s").glob("*.yaml")):
        docs += [d for d in yaml.safe_load_all(path.read_text()) if d]
    return docs


@pytest.fixture(scope="module")
def endpoint_vars(root):
    return set(re.findall(r"\$\{(\w+)\}", (root / "endpoints.yml").read_text()))


def of_kind(docs, kind):
    return {d["metadata"]["name"]: d for d in docs if d["kind"] == kind}


def test_the_dockerfile_builds_what_make_setup_and_make_train_build(root):
    dockerfile = (root / "Dockerfile").read_text()
    assert "-r requirements.txt -c constraints.txt" in dockerfile
    assert "npm ci" in dockerfile and "package-lock.json" in dockerfile
    # The same training steps; make image and make image-test ship the model make test tested.
    makefile = (root / "Makefile").read_text()
    for step in ("scripts/build_spacy_pipeline.py knowledge/ahsct.yml build/spacy", "--fixed-model-name ahsct"):
        assert step in dockerfile and step in makefile
    assert "ARG MODEL=train" in dockerfile and "cp /context/models/ahsct.tar.gz models/" in dockerfile
    assert re.search(r"^image: train\b", makefile, re.M) and "--build-arg MODEL=tested" in makefile
    assert re.search(r"^image-test: train\b", makefile, re.M)
    assert "--build-arg MODEL=tested" in (root / "scripts" / "podman" / "image-test.sh").read_text()
    ignored = (root / ".dockerignore").read_text().split()
    assert {"!models/ahsct.tar.gz", "!build/spacy"} <= set(ignored)
    assert re.findall(r"EXPOSE (.+)", dockerfile)[0].split() == [str(p) for p in sorted(PORTS.values())]


def test_compose_runs_the_makefile_image_with_two_replicas_over_postgres_and_redis(
    compose, makefile_image, endpoint_vars
):
    services = compose["services"]
    assert {"rasa", "actions", "web", "postgres", "redis", "nginx"} <= set(services)
    for name in ("rasa", "actions", "web"):
        assert services[name]["image"] == makefile_image
        assert services[name]["build"] == "."
        assert str(PORTS[name]) in services[name]["expose"]
    rasa = services["rasa"]
    assert rasa["deploy"]["replicas"] == 2
    assert endpoint_vars <= set(rasa["environment"]), endpoint_vars - set(rasa["environment"])
    assert rasa["environment"]["LOCK_STORE"] == "redis"
    assert rasa["environment"]["TRACKER_URL"].startswith("postgresql://")
    assert services["actions"]["environment"]["ACTION_PORT"] == str(PORTS["actions"])


def test_nginx_limits_body_size_and_rate_and_keeps_socket_io_sticky(root):
    conf = (root / "deploy" / "nginx.conf").read_text()
    assert re.search(r"client_max_body_size \d+k;", conf)
    assert "limit_req zone=per_client" in conf
    assert re.search(r"upstream rasa_sticky \{ ip_hash;", conf)
    assert f"server rasa:{PORTS['rasa']}" in conf and f"server web:{PORTS['web']}" in conf


def test_nginx_retries_a_message_on_another_replica_with_the_same_request_id(root, tmp_path):
    """The same retry directives in deploy/nginx.conf and the scale-out set-up the tests run."""
    from devtools.scaleout import nginx_conf

    def retry_lines(conf):
        return [
            line.strip()
            for line in conf.splitlines()
            if re.match(r"\s*proxy_(next_upstream|set_header X-Request-ID)", line)
        ]

    deployed = retry_lines((root / "deploy" / "nginx.conf").read_text())
    assert deployed == [
        "proxy_next_upstream error timeout http_502 http_503 non_idempotent;",
        "proxy_set_header X-Request-ID $request_id;",
    ]
    made = nginx_conf((root / "deploy" / "nginx.conf").read_text(), tmp_path, ["127.0.0.1:1"], "127.0.0.1", 2, 3)
    assert retry_lines(made) == deployed


def test_the_ingress_retries_a_message_on_another_pod_as_nginx_does(root, k8s):
    [ingress] = of_kind(k8s, "Ingress").values()
    retry = ingress["metadata"]["annotations"]["nginx.ingress.kubernetes.io/proxy-next-upstream"]
    assert f"proxy_next_upstream {retry};" in (root / "deploy" / "nginx.conf").read_text()


def test_k8s_deployments_use_the_image_ports_probes_and_memory(k8s, makefile_image):
    deployments = of_kind(k8s, "Deployment")
    services = of_kind(k8s, "Service")
    for name in ("rasa", "actions", "web"):
        [container] = deployments[name]["spec"]["template"]["spec"]["containers"]
        assert container["image"] == makefile_image
        assert container["ports"][0]["containerPort"] == PORTS[name]
        assert container["readinessProbe"]["httpGet"]["port"] == PORTS[name]
        assert services[name]["spec"]["ports"][0]["targetPort"] == PORTS[name]
    rasa = deployments["rasa"]["spec"]
    assert rasa["replicas"] >= 2
    assert rasa["template"]["spec"]["containers"][0]["resources"]["requests"]["memory"] == "2Gi"


def test_k8s_gives_rasa_every_variable_of_endpoints_yml(k8s, endpoint_vars):
    config = of_kind(k8s, "ConfigMap")["assistant-config"]["data"]
    secret = of_kind(k8s, "Secret")["assistant-secrets"]["stringData"]
    assert endpoint_vars <= set(config) | set(secret)
    # What the stores endpoints.yml names read from the environment (addons/settings.py).
    assert secret["TRACKER_URL"].startswith("postgresql://")
    assert config["LOCK_STORE"] == "redis" and config["REDIS_HOST"]
    assert "CONVERSATION_ID_KEY" in secret  # every replica must hash conversation ids alike
    # ... and the Rasa container gets them: the ConfigMap whole, the Secret's keys one by one.
    [rasa] = of_kind(k8s, "Deployment")["rasa"]["spec"]["template"]["spec"]["containers"]
    assert {"configMapRef": {"name": "assistant-config"}} in rasa["envFrom"]
    received = set(config) | {variable["name"] for variable in rasa["env"]}
    assert endpoint_vars | {"TRACKER_URL", "CONVERSATION_ID_KEY", "LOCK_STORE", "REDIS_HOST"} <= received


def test_the_ingress_keeps_socket_io_on_one_pod(k8s):
    [ingress] = of_kind(k8s, "Ingress").values()
    annotations = ingress["metadata"]["annotations"]
    assert annotations["nginx.ingress.kubernetes.io/affinity"] == "cookie"
    paths = {p["path"]: p["backend"]["service"] for p in ingress["spec"]["rules"][0]["http"]["paths"]}
    assert paths["/socket.io"] == {"name": "rasa", "port": {"number": PORTS["rasa"]}}


def test_every_deployment_starts_rasa_the_way_make_run_does(root, compose, k8s):
    """Through addons/server.py (Rasa's fixes applied), with the same model, credentials and endpoints."""
    launcher = Stack(StackConfig()).rasa_args()
    expected = ["python", *launcher[1:4]]  # python -m addons.server run
    options = dict(zip(launcher[4::2], launcher[5::2], strict=False))
    dockerfile = (root / "Dockerfile").read_text().replace("\\\n", "")
    dockerfile_cmd = json.loads(re.search(r"^CMD (\[.*?\])", dockerfile, re.M).group(1))
    [k8s_rasa] = of_kind(k8s, "Deployment")["rasa"]["spec"]["template"]["spec"]["containers"]
    for command in (dockerfile_cmd, compose["services"]["rasa"]["command"], k8s_rasa["command"]):
        assert command[:4] == expected
        given = dict(zip(command[4::2], command[5::2], strict=False))
        assert given["--port"] == str(PORTS["rasa"])
        assert given["--model"] == str(Path(options["--model"]).relative_to(root))
        for option in ("--credentials", "--endpoints"):
            assert given[option] == options[option]


def test_every_server_is_restarted_when_it_stops(compose, k8s):
    """make run restarts a server that dies (devtools/stack.py, tests/test_run.py); so do these.
    Kubernetes restarts a container that exits (restartPolicy Always) and, with a liveness
    probe, one that hangs."""
    for name, service in compose["services"].items():
        assert service.get("restart") == "unless-stopped", name
    for kind in ("Deployment", "StatefulSet"):
        for name, workload in of_kind(k8s, kind).items():
            assert workload["spec"]["template"]["spec"].get("restartPolicy", "Always") == "Always", name
    deployments = of_kind(k8s, "Deployment")
    for name in ("rasa", "actions", "web"):
        [container] = deployments[name]["spec"]["template"]["spec"]["containers"]
        assert container["livenessProbe"]["httpGet"]["port"] == PORTS[name], name


def test_the_scale_out_nginx_is_made_from_the_deploy_one_and_nginx_accepts_it(root, tmp_path):
    """One nginx configuration (deploy/nginx.conf), not two copies that drift."""
    import shutil
    import subprocess

    from devtools.scaleout import DEPLOY_NGINX_CONF, nginx_conf

    source = DEPLOY_NGINX_CONF.read_text(encoding="utf-8")
    conf = nginx_conf(source, tmp_path, ["127.0.0.1:5105", "127.0.0.1:5106"], "127.0.0.1", 8399, 1000)
    for kept in (
        "proxy_next_upstream error timeout http_502 http_503 non_idempotent;",
        "client_max_body_size 16k;",
        "access_log off;",
        "location /socket.io/",
        "ip_hash;",
    ):
        assert kept in conf
    assert "server 127.0.0.1:5106 max_fails=1" in conf and "rasa:5005" not in conf and "web:8080" not in conf
    with pytest.raises(ValueError, match="deploy/nginx.conf has no"):
        nginx_conf(source.replace("listen 80;", "listen 8080;"), tmp_path, ["127.0.0.1:1"], "127.0.0.1", 1, 1)
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    path = tmp_path / "nginx.conf"
    path.write_text(conf)
    checked = subprocess.run(
        [nginx, "-t", "-p", str(tmp_path), "-c", str(path), "-g", "user root;"],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert checked.returncode == 0, checked.stderr


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_nginx_answers_as_soon_as_one_replica_is_back_after_every_replica_failed(tmp_path):
    """Both replicas refuse (none up yet, or all restarting), then one comes up: the next request
    reaches it. Without backups nginx left both out for fail_timeout and answered 502 "no live
    upstreams" for up to 10 s (seen in make compose-test). And a notes link that fails is not written
    to nginx's error log, as other failed requests are. Real nginx, two ports, a stand-in replica."""
    import http.server
    import shutil
    import subprocess
    import threading
    import time
    import urllib.error
    import urllib.request

    from devtools.scaleout import DEPLOY_NGINX_CONF, nginx_conf

    class Replica(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"up")

        def log_message(self, *args):
            pass

    first, second, listen = _free_port(), _free_port(), _free_port()
    servers = [f"127.0.0.1:{first}", f"127.0.0.1:{second}"]
    conf = tmp_path / "nginx.conf"
    conf.write_text(
        nginx_conf(DEPLOY_NGINX_CONF.read_text(encoding="utf-8"), tmp_path, servers, "127.0.0.1", listen, 1000)
    )
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    proc = subprocess.Popen(
        [nginx, "-p", str(tmp_path), "-c", str(conf), "-g", "daemon off; user root;"], stderr=subprocess.PIPE
    )
    url = f"http://127.0.0.1:{listen}/webhooks/rest/"
    token = "k3yOfSomeonesNotes-" + "x" * 24

    def status(url: str = url) -> int:
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    replica = None
    try:
        deadline = time.monotonic() + 10
        while True:  # nginx up, both replicas refusing: 502, and both are now marked failed
            try:
                assert status() == 502
                break
            except urllib.error.URLError:
                assert time.monotonic() < deadline, "nginx did not start"
                time.sleep(0.1)
        assert status(f"http://127.0.0.1:{listen}/webhooks/summary/{token}/pdf") == 502
        replica = http.server.ThreadingHTTPServer(("127.0.0.1", second), Replica)
        threading.Thread(target=replica.serve_forever, daemon=True).start()
        assert [status() for _ in range(5)] == [200] * 5
    finally:
        proc.terminate()
        _, stderr = proc.communicate(timeout=10)
        if replica is not None:
            replica.shutdown()
    logged = (tmp_path / "nginx-error.log").read_text() + stderr.decode()
    assert "/webhooks/rest/" in logged and "Connection refused" in logged
    assert token not in logged and "/webhooks/summary/" not in logged


# -- Kubernetes: resources, probes, disruption budgets, secrets (tests/test_k8s.py checks the schemas) --

SECRET_VARS = {
    "POSTGRES_PASSWORD",
    "TRACKER_URL",
    "CONVERSATION_ID_KEY",
    "RASA_API_TOKEN",
    "TELEGRAM_TOKEN",
    "TELEGRAM_SECRET_TOKEN",
}
# What each server is checked with from inside its container, when it has no HTTP endpoint.
EXEC_PROBES = {"postgres": ["pg_isready", "-U", "rasa"], "redis": ["redis-cli", "ping"]}


def workloads(docs):
    """(name, workload, pod spec) of every Deployment and StatefulSet."""
    for kind in ("Deployment", "StatefulSet"):
        for name, workload in of_kind(docs, kind).items():
            yield name, workload, workload["spec"]["template"]["spec"]


def containers(docs, init: bool = True):
    """(workload name, container) of every container; init ones (which run and stop) too, unless not `init`."""
    for name, _, pod in workloads(docs):
        for container in (pod.get("initContainers", []) if init else []) + pod["containers"]:
            yield name, container


def quantity(value) -> float:
    """A Kubernetes quantity as a number: "500m" cores, "2Gi" bytes."""
    units = {"m": 1e-3, "Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40, "k": 1e3, "M": 1e6, "G": 1e9}
    number, unit = re.fullmatch(r"([0-9.]+)([A-Za-z]*)", str(value)).groups()
    return float(number) * (units[unit] if unit else 1)


def test_every_k8s_container_has_cpu_and_memory_requests_and_limits(k8s):
    seen = set()
    for name, container in containers(k8s):
        resources = container.get("resources", {})
        for resource in ("cpu", "memory"):
            request = resources.get("requests", {}).get(resource)
            limit = resources.get("limits", {}).get(resource)
            assert request and limit, f"{name}/{container['name']}: {resource} request {request}, limit {limit}"
            assert quantity(request) <= quantity(limit), f"{name}/{container['name']}: {resource}"
        seen.add(name)
    assert seen == {"rasa", "actions", "web", "postgres", "redis"}


@pytest.fixture(scope="module")
def rasa_routes(root):
    """The GET paths `rasa run` serves with this repository's credentials.yml: Rasa's app and every
    channel, built as rasa.core.run.configure_app builds them (no model needed)."""
    from rasa.core import run
    from sanic import Sanic

    test_mode, Sanic.test_mode = Sanic.test_mode, True  # another test may have made an app of that name
    try:
        channels = run.create_http_input_channels(None, str(root / "credentials.yml"))
        app = run.configure_app(channels, enable_api=True, auth_token="x")
    finally:
        Sanic.test_mode = test_mode
    return {route.path.strip("/") for route in app.router.routes if "GET" in route.methods}


@pytest.fixture(scope="module")
def action_routes():
    """The GET paths the action server serves (`python -m actions` runs rasa_sdk's app)."""
    from rasa_sdk.endpoint import create_app
    from sanic import Sanic

    test_mode, Sanic.test_mode = Sanic.test_mode, True
    try:
        app = create_app("actions", cors_origins=[])
    finally:
        Sanic.test_mode = test_mode
    return {route.path.strip("/") for route in app.router.routes if "GET" in route.methods}


def web_status(path: str) -> int:
    """What the web page's server (devtools/web.py) answers to GET path."""
    import asyncio

    from aiohttp.test_utils import TestClient, TestServer

    from devtools.web import make_app

    async def get() -> int:
        async with TestClient(TestServer(make_app("https://assistant.example.org"))) as client:
            return (await client.get(path)).status

    return asyncio.run(get())


def test_every_k8s_server_is_probed_where_it_listens_and_on_a_path_it_serves(k8s, rasa_routes, action_routes):
    served = {
        "rasa": lambda path: path.strip("/") in rasa_routes,
        "actions": lambda path: path.strip("/") in action_routes,
        "web": lambda path: web_status(path) == 200,
    }
    assert "" in rasa_routes and "webhooks/rest" in rasa_routes and "health" in action_routes
    probed = set()
    for name, container in containers(k8s, init=False):
        ports = {p["containerPort"] for p in container["ports"]} | {
            p["name"] for p in container["ports"] if "name" in p
        }
        probes = {kind: container.get(kind) for kind in ("startupProbe", "readinessProbe", "livenessProbe")}
        assert probes["readinessProbe"] and probes["livenessProbe"], f"{name}: both probes"
        for kind, probe in probes.items():
            if probe is None:
                continue
            if "httpGet" in probe:
                assert probe["httpGet"]["port"] in ports, f"{name} {kind}: port {probe['httpGet']['port']}"
                assert served[name](probe["httpGet"]["path"]), f"{name} {kind}: {probe['httpGet']['path']}"
            else:
                assert probe["exec"]["command"] == EXEC_PROBES[name], f"{name} {kind}"
            probed.add(name)
    assert probed == {"rasa", "actions", "web", "postgres", "redis"}
    [postgres] = of_kind(k8s, "StatefulSet")["postgres"]["spec"]["template"]["spec"]["containers"]
    user = next(e["value"] for e in postgres["env"] if e["name"] == "POSTGRES_USER")
    assert EXEC_PROBES["postgres"][-1] == user


def test_rasa_has_minutes_to_load_its_model_before_liveness_counts(k8s):
    """Rasa opens its port only once the model is loaded (up to about 2 minutes): a startupProbe
    holds the other probes back until then, instead of a long initialDelaySeconds on each."""
    [rasa] = of_kind(k8s, "Deployment")["rasa"]["spec"]["template"]["spec"]["containers"]
    startup = rasa["startupProbe"]
    assert startup["periodSeconds"] * startup["failureThreshold"] >= 180
    for kind in ("readinessProbe", "livenessProbe"):
        assert rasa[kind].get("initialDelaySeconds", 0) <= 30, kind


def test_a_disruption_budget_keeps_replicated_pods_up_during_a_drain(k8s):
    budgets = of_kind(k8s, "PodDisruptionBudget")
    replicated = {name: d for name, d in of_kind(k8s, "Deployment").items() if d["spec"]["replicas"] > 1}
    assert {"rasa", "actions"} <= set(replicated)
    for name, deployment in replicated.items():
        labels = deployment["spec"]["template"]["metadata"]["labels"]
        covering = [b for b in budgets.values() if b["spec"]["selector"]["matchLabels"].items() <= labels.items()]
        assert len(covering) == 1, name
        # at least one pod stays, and a drain can still take one
        assert 1 <= covering[0]["spec"]["minAvailable"] < deployment["spec"]["replicas"], name


def test_the_secret_variables_are_the_ones_the_code_reads(monkeypatch):
    from addons import settings

    values = {name: f"value-of-{name}" for name in SECRET_VARS}
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    assert settings.telegram()["token"] == values["TELEGRAM_TOKEN"]
    assert settings.telegram()["secret"] == values["TELEGRAM_SECRET_TOKEN"]
    assert settings.tracker_url() == values["TRACKER_URL"]
    assert settings.conversation_key() == values["CONVERSATION_ID_KEY"].encode()
    assert StackConfig.from_env().api_token == values["RASA_API_TOKEN"]  # make run's launcher


def test_k8s_secrets_come_from_a_secret_never_from_a_plain_value(k8s):
    secrets = {name: s.get("stringData", {}) for name, s in of_kind(k8s, "Secret").items()}
    # In the repository only placeholders, as text (base64 `data` would hide a real value).
    for name, secret in of_kind(k8s, "Secret").items():
        assert "data" not in secret, name
        assert all("CHANGE-ME" in value for value in secrets[name].values()), name
    for name, config in of_kind(k8s, "ConfigMap").items():
        assert not SECRET_VARS & set(config["data"]), name

    received = {}  # container -> secret variables it gets
    for name, container in containers(k8s):
        for ref in container.get("envFrom", []):
            if "secretRef" in ref:
                received.setdefault(name, set()).update(secrets[ref["secretRef"]["name"]])
        for variable in container.get("env", []):
            if variable["name"] not in SECRET_VARS:
                continue
            assert "value" not in variable, f"{name}: {variable['name']} in plain text"
            ref = variable["valueFrom"]["secretKeyRef"]
            assert ref["key"] in secrets[ref["name"]], f"{name}: {ref}"
            received.setdefault(name, set()).add(variable["name"])
    assert received["postgres"] >= {"POSTGRES_PASSWORD"}
    assert received["rasa"] >= {
        "TRACKER_URL",
        "CONVERSATION_ID_KEY",
        "RASA_API_TOKEN",
        "TELEGRAM_TOKEN",
        "TELEGRAM_SECRET_TOKEN",
    }


def test_k8s_rasa_turns_its_api_on_only_with_the_token_from_the_secret(k8s):
    """As make run does with RASA_API_TOKEN (devtools/stack.py): --enable-api with --auth-token.
    Kubernetes replaces $(RASA_API_TOKEN) with the variable's value; a variable that is missing
    would stay as that text, so it must not be optional."""
    [rasa] = of_kind(k8s, "Deployment")["rasa"]["spec"]["template"]["spec"]["containers"]
    launcher = Stack(StackConfig(api_token="$(RASA_API_TOKEN)")).rasa_args()
    assert rasa["args"] == launcher[launcher.index("--enable-api") :]
    [token] = [e for e in rasa["env"] if e["name"] == "RASA_API_TOKEN"]
    assert not token["valueFrom"]["secretKeyRef"].get("optional", False)
    # The Ingress sends only the channels to Rasa, never its HTTP API.
    [ingress] = of_kind(k8s, "Ingress").values()
    rasa_paths = {
        p["path"] for p in ingress["spec"]["rules"][0]["http"]["paths"] if p["backend"]["service"]["name"] == "rasa"
    }
    assert rasa_paths == {"/socket.io", "/webhooks"}


def test_the_assistant_runs_read_only_as_its_own_user_everywhere(root, compose, k8s):
    """The image's user and read-only root (Dockerfile), in compose and in Kubernetes alike, with
    /tmp the one writable place (Rasa unpacks its model there)."""
    dockerfile = (root / "Dockerfile").read_text()
    assert re.search(r"^USER 10001$", dockerfile, re.M)
    for name in ("rasa", "actions", "web"):
        service = compose["services"][name]
        assert service["read_only"] is True and "/tmp" in service["tmpfs"], name
    for deployment in of_kind(k8s, "Deployment").values():
        pod = deployment["spec"]["template"]["spec"]
        if pod["containers"][0]["image"] != "ahsct-assistant:latest":
            continue
        assert pod["securityContext"]["runAsNonRoot"] is True and pod["securityContext"]["runAsUser"] == 10001
        tmp = {v["name"] for v in pod["volumes"] if "emptyDir" in v}
        for container in pod["containers"]:
            assert container["securityContext"]["readOnlyRootFilesystem"] is True
            assert any(m["mountPath"] == "/tmp" and m["name"] in tmp for m in container["volumeMounts"])


def test_every_compose_service_has_a_healthcheck_and_replicas_both_tools_honour(compose):
    services = compose["services"]
    for name, service in services.items():
        assert service.get("healthcheck", {}).get("test"), f"{name} has no healthcheck"
    # Docker Compose honours deploy.replicas; podman-compose only with deploy.mode: replicated.
    assert services["rasa"]["deploy"] == {**services["rasa"]["deploy"], "mode": "replicated", "replicas": 2}


def test_the_dockerfile_pins_its_base_images_by_digest_and_ships_no_tooling(root):
    dockerfile = (root / "Dockerfile").read_text()
    for arg in ("PYTHON_IMAGE", "NODE_IMAGE"):
        assert re.search(rf"^ARG {arg}=\S+@sha256:[0-9a-f]{{64}}$", dockerfile, re.M), arg
    assert "requirements-dev.txt" not in dockerfile
    ignored = (root / ".dockerignore").read_text().split()
    for path in ("tests", "docs", ".git", ".venv*", "node_modules", "models/*", "build/*", "results"):
        assert path in ignored, path
