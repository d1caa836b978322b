"""make audit's gate (scripts/audit_gate.py): fails on high, critical or untriaged findings only."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scripts.audit_gate import TriageError, build_report, load_triage, main

SKIPPED = {"name": "absl-py", "skip_reason": "Dependency not found on PyPI and could not be audited: absl-py (1.4.0)"}


def dependency(name: str, *vulns: dict) -> dict:
    return {"name": name, "version": "1.0", "vulns": list(vulns)}


def vuln(vuln_id: str, *aliases: str) -> dict:
    return {"id": vuln_id, "fix_versions": ["1.1"], "aliases": list(aliases), "description": "..."}


def write(tmp_path: Path, audit: dict, triage: str | None = None) -> list[str]:
    report = tmp_path / "audit.json"
    report.write_text(json.dumps(audit))
    triage_path = tmp_path / "triage.yml"
    if triage is not None:
        triage_path.write_text(triage)
    return [str(report), "--triage", str(triage_path)]


def triage_entry(vuln_id: str, severity: str) -> str:
    return (
        f"findings:\n  {vuln_id}:\n    severity: {severity}\n    reason: not reachable here\n    reviewed: 2026-11-30\n"
    )


def test_no_vulnerability_data_passes_and_says_nothing_was_checked(tmp_path, capsys):
    assert main(write(tmp_path, {"dependencies": [SKIPPED]})) == 0
    assert "nothing was checked" in capsys.readouterr().out


def test_clean_packages_pass(tmp_path, capsys):
    assert main(write(tmp_path, {"dependencies": [dependency("rasa"), SKIPPED]})) == 0
    assert "1 of 2 pinned packages looked up" in capsys.readouterr().out


def test_an_untriaged_finding_fails_closed(tmp_path, capsys):
    assert main(write(tmp_path, {"dependencies": [dependency("aiohttp", vuln("PYSEC-1"))]})) == 1
    out = capsys.readouterr().out
    assert "FAIL aiohttp 1.0 PYSEC-1 [untriaged]" in out


@pytest.mark.parametrize(("severity", "status"), [("low", 0), ("medium", 0), ("high", 1), ("critical", 1)])
def test_triaged_severity_decides(tmp_path, severity, status):
    audit = {"dependencies": [dependency("aiohttp", vuln("PYSEC-1", "GHSA-aaaa"))]}
    # Triaged under an alias, as advisories often are.
    assert main(write(tmp_path, audit, triage_entry("GHSA-aaaa", severity))) == status


def test_one_failing_finding_among_accepted_ones_fails(tmp_path):
    audit = {"dependencies": [dependency("a", vuln("PYSEC-1")), dependency("b", vuln("PYSEC-2"))]}
    assert main(write(tmp_path, audit, triage_entry("PYSEC-1", "low"))) == 1
    report = build_report(audit, load_triage(tmp_path / "triage.yml"))
    assert [f.vuln_id for f in report.failed] == ["PYSEC-2"]


@pytest.mark.parametrize(
    "triage",
    [
        "findings:\n  PYSEC-1:\n    severity: urgent\n    reason: x\n    reviewed: 2026-11-30\n",
        "findings:\n  PYSEC-1:\n    severity: low\n    reviewed: 2026-11-30\n",
        "findings:\n  PYSEC-1: low\n",
        "findings: [PYSEC-1]\n",
    ],
)
def test_a_malformed_triage_file_is_refused(tmp_path, triage):
    path = tmp_path / "triage.yml"
    path.write_text(triage)
    with pytest.raises(TriageError):
        load_triage(path)
    assert main(write(tmp_path, {"dependencies": [SKIPPED]}, triage)) == 2


def test_a_missing_or_broken_report_fails(tmp_path):
    assert main([str(tmp_path / "none.json")]) == 2
    (tmp_path / "bad.json").write_text("{")
    assert main([str(tmp_path / "bad.json")]) == 2


def test_the_committed_triage_file_is_valid():
    assert isinstance(load_triage(Path(__file__).resolve().parent.parent / "audit-triage.yml"), dict)
