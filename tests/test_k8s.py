"""deploy/k8s/ checked against the Kubernetes API schemas, as `make k8s-validate` checks it: with
kubernetes-validate from its own virtual environment (.venv-k8s, pinned in requirements-k8s.txt),
strict (a field the API does not have is an error), for the Makefile's K8S_VERSION. The schemas
come inside the package: no cluster and no download. And the check really fails on what a cluster
would refuse, so that it cannot pass by checking nothing."""

from __future__ import annotations

import copy
import os
import re
import subprocess
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT

K8S_VENV = ROOT / ".venv-k8s"
VALIDATOR = K8S_VENV / "bin" / "kubernetes-validate"
PASSED = re.compile(r"^INFO (?P<file>\S+) passed for resource (?P<resource>\S+) against version (?P<version>\S+)$")


@pytest.fixture(scope="module")
def validator() -> Path:
    if not (K8S_VENV / ".installed").exists():
        # `make test` sets REQUIRE_SERVICES=1: there a missing validator fails instead of skipping.
        missing = ".venv-k8s is missing (make k8s-validate builds it from requirements-k8s.txt)"
        if os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.fail(missing)
        pytest.skip(missing)
    return VALIDATOR


@pytest.fixture(scope="module")
def k8s_version(root) -> str:
    return re.search(r"^K8S_VERSION\s*:=\s*(\S+)\s*$", (root / "Makefile").read_text(), re.M).group(1)


def validate(validator: Path, version: str, *paths: Path, strict: bool = True) -> tuple[int, list[str]]:
    """Run the validator as make k8s-validate does: (exit code, its lines)."""
    args = [str(validator), *(["--strict"] if strict else []), "--kubernetes-version", version, *map(str, paths)]
    done = subprocess.run(args, capture_output=True, text=True, timeout=120, cwd=ROOT)
    return done.returncode, (done.stdout + done.stderr).splitlines()


def resource(doc: dict) -> str:
    return f"{doc['kind'].lower()}/{doc['metadata']['name']}"


def test_the_validator_is_the_pinned_one(validator, root):
    pinned = re.search(r"^kubernetes-validate==(\S+)$", (root / "requirements-k8s.txt").read_text(), re.M).group(1)
    done = subprocess.run([str(validator), "--version"], capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == pinned


def test_every_document_in_deploy_k8s_is_valid_against_the_api_schemas(validator, k8s_version, root):
    paths = sorted((root / "deploy" / "k8s").glob("*.yaml"))
    assert {p.name for p in paths} >= {"assistant.yaml", "datastores.yaml"}
    code, lines = validate(validator, k8s_version, *(p.relative_to(root) for p in paths))
    print("\n".join(lines))
    assert code == 0, "\n".join(lines)
    major_minor = ".".join(k8s_version.split(".")[:2])
    # One line per document, each saying it passed: a WARN (no schema for its kind) is not a pass.
    checked = [PASSED.match(line) for line in lines]
    assert all(checked), [line for line, match in zip(lines, checked, strict=True) if not match]
    assert {m["version"] for m in checked} == {major_minor}
    expected = [
        (str(path.relative_to(root)), resource(doc))
        for path in paths
        for doc in yaml.safe_load_all(path.read_text())
        if doc
    ]
    assert [(m["file"], m["resource"]) for m in checked] == expected


def test_the_validator_rejects_what_a_cluster_would_refuse(validator, k8s_version, root, tmp_path):
    """The real Rasa Deployment, and copies of it each with one mistake."""
    docs = yaml.safe_load_all((root / "deploy" / "k8s" / "assistant.yaml").read_text())
    [rasa] = [d for d in docs if d and d["kind"] == "Deployment" and d["metadata"]["name"] == "rasa"]

    def broken(name: str, change) -> dict:
        doc = copy.deepcopy(rasa)
        doc["metadata"]["name"] = name
        change(doc, doc["spec"]["template"]["spec"]["containers"][0])
        return doc

    def misspelt_field(_doc, container):
        container["resource"] = container.pop("resources")  # a field the API does not have

    def wrong_type(doc, _container):
        doc["spec"]["replicas"] = "two"

    def wrong_probe_type(_doc, container):
        container["livenessProbe"]["periodSeconds"] = "30s"

    def no_container_name(_doc, container):
        del container["name"]  # required

    cases = {
        "misspelt-field": (misspelt_field, "'resource' was unexpected"),
        "wrong-type": (wrong_type, "spec.replicas: 'two' is not of type 'integer'"),
        "wrong-probe-type": (wrong_probe_type, "livenessProbe.periodSeconds: '30s' is not of type 'integer'"),
        "no-container-name": (no_container_name, "'name' is a required property"),
    }
    path = tmp_path / "broken.yaml"
    path.write_text(yaml.safe_dump_all([rasa, *(broken(name, change) for name, (change, _) in cases.items())]))

    code, lines = validate(validator, k8s_version, path)
    print("\n".join(lines))
    assert code != 0
    assert len(lines) == 1 + len(cases), lines
    assert PASSED.match(lines[0]) and "deployment/rasa" in lines[0]  # the real one, unchanged, passes
    for line, (name, (_, error)) in zip(lines[1:], cases.items(), strict=True):
        assert line.startswith(f"ERROR {path} did not validate for resource deployment/{name} "), line
        assert error in line, line

    # Strict is what catches the misspelt field: without it, it would pass unnoticed.
    only_misspelt = tmp_path / "misspelt.yaml"
    only_misspelt.write_text(yaml.safe_dump(broken("misspelt-field", misspelt_field)))
    code, lines = validate(validator, k8s_version, only_misspelt, strict=False)
    assert code == 0 and PASSED.match(lines[0]), lines


def test_an_api_kubernetes_removed_is_not_a_silent_pass(validator, k8s_version, tmp_path):
    """policy/v1beta1 PodDisruptionBudgets are gone since Kubernetes 1.25. The validator only warns
    (exit 0) about a kind and apiVersion it has no schema for; make k8s-validate and the test of
    deploy/k8s above count anything but a "passed" line as a failure."""
    path = tmp_path / "old-pdb.yaml"
    path.write_text(
        yaml.safe_dump(
            {
                "apiVersion": "policy/v1beta1",
                "kind": "PodDisruptionBudget",
                "metadata": {"name": "rasa"},
                "spec": {"minAvailable": 1, "selector": {"matchLabels": {"app": "rasa"}}},
            }
        )
    )
    code, lines = validate(validator, k8s_version, path)
    assert lines and not any(PASSED.match(line) for line in lines), lines
    assert lines[0].startswith("WARN") and "Couldn't find schema for kind PodDisruptionBudget" in lines[0]

    # make k8s-validate on that file alone fails (its venv taken as built: nothing is installed here).
    done = subprocess.run(
        ["make", "--no-print-directory", "-o", ".venv-k8s/.installed", "k8s-validate", f"K8S_DIR={tmp_path}"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert done.returncode != 0, done.stdout
    assert "a document above was not checked" in done.stdout


# --- the GitHub Actions workflow, with the same virtual environment -----------------------------
WORKFLOW = ROOT / ".github" / "workflows" / "ci.yml"


def check_workflow(path: Path) -> subprocess.CompletedProcess:
    checker = K8S_VENV / "bin" / "check-jsonschema"
    args = [str(checker), "--builtin-schema", "vendor.github-workflows", str(path)]
    return subprocess.run(args, capture_output=True, text=True, timeout=120, cwd=ROOT)


def test_the_ci_workflow_is_valid_for_github_actions(validator):
    done = check_workflow(WORKFLOW)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_workflow_check_rejects_a_broken_workflow(validator, tmp_path):
    workflow = yaml.safe_load(WORKFLOW.read_text())
    broken = copy.deepcopy(workflow)
    del broken["jobs"]["lint"]["runs-on"]  # every job needs a runner
    broken["jobs"]["unit"]["steps"] = "make test-unit"  # steps are a list
    path = tmp_path / "ci.yml"
    path.write_text(yaml.safe_dump(broken))
    assert check_workflow(path).returncode != 0


def test_the_workflow_runs_what_make_test_runs_as_separate_cached_jobs():
    workflow = yaml.safe_load(WORKFLOW.read_text())
    jobs = workflow["jobs"]
    assert {"lint", "unit", "train-and-stories", "end-to-end", "browser"} <= set(jobs)
    for name, job in jobs.items():
        caches = [s for s in job["steps"] if str(s.get("uses", "")).startswith("actions/cache@")]
        assert caches and "~/.cache/pip" in caches[0]["with"]["path"] and "~/.npm" in caches[0]["with"]["path"], name
    runs = " ".join(s.get("run", "") for job in jobs.values() for s in job["steps"])
    for target in ("make lint", "test-unit", "make train test-stories", "test_widget_browser.py", "-m model"):
        assert target in runs, target
