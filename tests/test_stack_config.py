"""How `make run` starts Rasa: the HTTP API only with a token or JWT secret, CORS only for named sites."""

from __future__ import annotations

import subprocess
import sys

import pytest

from devtools.stack import Stack, StackConfig

ENV = ("RASA_API_TOKEN", "RASA_JWT_SECRET", "ENABLE_API", "CORS_ORIGINS", "RASA_WORKERS", "LOCK_STORE")


@pytest.fixture(autouse=True)
def clean_env(monkeypatch):
    for name in ENV:
        monkeypatch.delenv(name, raising=False)


def test_api_and_cors_are_off_by_default():
    args = Stack(StackConfig.from_env()).rasa_args()
    assert "--enable-api" not in args and "--cors" not in args


def test_api_is_on_only_with_a_token_or_jwt_secret(monkeypatch):
    monkeypatch.setenv("RASA_API_TOKEN", "t0ken")
    args = Stack(StackConfig.from_env()).rasa_args()
    assert args[args.index("--enable-api") :][:3] == ["--enable-api", "--auth-token", "t0ken"]
    monkeypatch.delenv("RASA_API_TOKEN")
    monkeypatch.setenv("RASA_JWT_SECRET", "jwt")
    args = Stack(StackConfig.from_env()).rasa_args()
    assert "--enable-api" in args and args[args.index("--jwt-secret") + 1] == "jwt"


def test_enable_api_without_a_secret_is_refused(monkeypatch):
    monkeypatch.setenv("ENABLE_API", "true")
    with pytest.raises(ValueError, match="refusing to start"):
        StackConfig.from_env()


def test_the_launcher_refuses_to_start_with_an_open_api(root, monkeypatch):
    monkeypatch.setenv("ENABLE_API", "1")
    result = subprocess.run([sys.executable, "scripts/run.py"], cwd=root, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert "RASA_API_TOKEN" in result.stderr + result.stdout


def test_cors_lists_only_named_sites(monkeypatch):
    monkeypatch.setenv("CORS_ORIGINS", "https://www.mssociety.example/, https://clinic.example")
    args = Stack(StackConfig.from_env()).rasa_args()
    assert args[args.index("--cors") :] == ["--cors", "https://www.mssociety.example", "https://clinic.example"]
    monkeypatch.setenv("CORS_ORIGINS", "*")
    with pytest.raises(ValueError, match="CORS_ORIGINS"):
        StackConfig.from_env()


def test_rasa_is_started_through_the_launcher_that_applies_rasas_fixes():
    args = Stack(StackConfig.from_env()).rasa_args()
    assert args[:4] == [sys.executable, "-m", "addons.server", "run"]


def test_one_rasa_process_by_default():
    stack = Stack(StackConfig.from_env())
    assert stack.config.workers == 1
    assert stack.env()["SANIC_WORKERS"] == "1"


def test_several_rasa_processes_each_get_one_blas_thread_unless_told(monkeypatch):
    monkeypatch.delenv("OPENBLAS_NUM_THREADS", raising=False)
    assert "OPENBLAS_NUM_THREADS" not in Stack(StackConfig.from_env()).env()  # one process: all cores
    monkeypatch.setenv("RASA_WORKERS", "2")
    monkeypatch.setenv("LOCK_STORE", "redis")
    assert Stack(StackConfig.from_env()).env()["OPENBLAS_NUM_THREADS"] == "1"
    monkeypatch.setenv("OPENBLAS_NUM_THREADS", "2")
    assert Stack(StackConfig.from_env()).env()["OPENBLAS_NUM_THREADS"] == "2"


def test_several_rasa_processes_need_the_shared_lock_store(monkeypatch):
    monkeypatch.setenv("RASA_WORKERS", "2")
    with pytest.raises(ValueError, match="LOCK_STORE=redis"):
        StackConfig.from_env()
    monkeypatch.setenv("LOCK_STORE", "redis")
    stack = Stack(StackConfig.from_env())
    assert stack.env()["SANIC_WORKERS"] == "2" and stack.env()["LOCK_STORE"] == "redis"
    monkeypatch.setenv("RASA_WORKERS", "0")
    with pytest.raises(ValueError, match="RASA_WORKERS"):
        StackConfig.from_env()
