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
    makefile = (root / "Makefile").read_text()
    for step in ("scripts/build_spacy_pipeline.py knowledge/ahsct.yml build/spacy", "--fixed-model-name ahsct"):
        assert step in dockerfile and step in makefile
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
