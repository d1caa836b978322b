"""Read pip-audit's JSON report and fail on high-severity findings (`make audit`).

pip-audit reports each known vulnerability by id, with no severity. Severity comes from
`audit-triage.yml`, where a maintainer records, for each finding they have looked at, its severity
(from the advisory: low, medium, high or critical), why it is accepted or what will be done, and
when it was reviewed. A finding that is not in the triage file counts as high: it fails until
someone has read it (fail closed).

Exit status: 1 if any finding is high or critical (or not triaged), 0 otherwise, also when the
package index gave no vulnerability data at all (then it says so: nothing was checked).

    python scripts/audit_gate.py results/audit.json [--triage audit-triage.yml]
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

SEVERITIES = ("low", "medium", "high", "critical")
FAILING = frozenset({"high", "critical"})
DEFAULT_TRIAGE = Path(__file__).resolve().parent.parent / "audit-triage.yml"


class TriageError(ValueError):
    """The triage file is not in the expected shape."""


@dataclass(frozen=True)
class Finding:
    package: str
    version: str
    vuln_id: str
    aliases: tuple[str, ...]
    fix_versions: tuple[str, ...]
    severity: str  # one of SEVERITIES, or "untriaged"
    note: str

    @property
    def fails(self) -> bool:
        return self.severity in FAILING or self.severity == "untriaged"


@dataclass(frozen=True)
class Report:
    audited: int
    skipped: int
    findings: tuple[Finding, ...]

    @property
    def failed(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.fails)


def load_triage(path: Path) -> dict[str, dict[str, str]]:
    """{vulnerability id: {"severity", "reason", "reviewed"}} from the triage file (empty if absent)."""
    if not path.is_file():
        return {}
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    entries = data.get("findings") or {}
    if not isinstance(entries, dict):
        raise TriageError(f"{path}: 'findings' must map vulnerability ids to entries")
    triage: dict[str, dict[str, str]] = {}
    for vuln_id, entry in entries.items():
        if not isinstance(entry, dict):
            raise TriageError(f"{path}: {vuln_id}: expected severity, reason and reviewed")
        severity = str(entry.get("severity", "")).lower()
        if severity not in SEVERITIES:
            raise TriageError(f"{path}: {vuln_id}: severity must be one of {', '.join(SEVERITIES)}")
        for field in ("reason", "reviewed"):
            if not str(entry.get(field) or "").strip():
                raise TriageError(f"{path}: {vuln_id}: '{field}' is required")
        triage[str(vuln_id)] = {
            "severity": severity,
            "reason": str(entry["reason"]),
            "reviewed": str(entry["reviewed"]),
        }
    return triage


def build_report(audit: dict[str, Any], triage: dict[str, dict[str, str]]) -> Report:
    """Findings of a pip-audit JSON report, each with its triaged severity (by id or any alias)."""
    audited = skipped = 0
    findings: list[Finding] = []
    for dependency in audit.get("dependencies") or []:
        if dependency.get("skip_reason"):
            skipped += 1
            continue
        audited += 1
        for vuln in dependency.get("vulns") or []:
            vuln_id = str(vuln.get("id"))
            aliases = tuple(str(a) for a in vuln.get("aliases") or [])
            entry = next((triage[i] for i in (vuln_id, *aliases) if i in triage), None)
            findings.append(
                Finding(
                    package=str(dependency.get("name")),
                    version=str(dependency.get("version")),
                    vuln_id=vuln_id,
                    aliases=aliases,
                    fix_versions=tuple(str(v) for v in vuln.get("fix_versions") or []),
                    severity=entry["severity"] if entry else "untriaged",
                    note=entry["reason"] if entry else "not triaged yet: counts as high",
                )
            )
    return Report(audited=audited, skipped=skipped, findings=tuple(findings))


def render(report: Report) -> str:
    lines = []
    total = report.audited + report.skipped
    if report.audited == 0:
        lines.append(
            f"pip-audit: none of the {total} pinned packages could be looked up (the package index gave "
            "no vulnerability data), so nothing was checked."
        )
    else:
        lines.append(
            f"pip-audit: {report.audited} of {total} pinned packages looked up, {report.skipped} could not be; "
            f"{len(report.findings)} known vulnerabilities, {len(report.failed)} high, critical or untriaged."
        )
    for f in sorted(report.findings, key=lambda f: (not f.fails, f.package, f.vuln_id)):
        fix = f"fixed in {', '.join(f.fix_versions)}" if f.fix_versions else "no fixed version"
        mark = "FAIL" if f.fails else "ok  "
        lines.append(f"  {mark} {f.package} {f.version} {f.vuln_id} [{f.severity}] {fix}: {f.note}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("report", type=Path, help="pip-audit -f json output")
    parser.add_argument("--triage", type=Path, default=DEFAULT_TRIAGE)
    args = parser.parse_args(argv)
    try:
        audit = json.loads(args.report.read_text(encoding="utf-8"))
        report = build_report(audit, load_triage(args.triage))
    except (OSError, json.JSONDecodeError, TriageError) as error:
        print(f"audit: cannot read the report or the triage file: {error}", file=sys.stderr)
        return 2
    print(render(report))
    return 1 if report.failed else 0


if __name__ == "__main__":
    sys.exit(main())
