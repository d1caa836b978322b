"""Stale medical content stops a release: make validate lists what to re-check (fake "today")."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest

from actions.freshness import months_before, stale_items
from actions.knowledge import parse_knowledge
from tests.test_knowledge import PATH, valid_data

CHECKED = dt.date(2026, 1, 10)


def knowledge_with(kind: str, date_field: str = "as_of"):
    data = valid_data()
    data["entries"][0]["answer"] = "As of January 2026, the trial was recruiting."
    data["entries"][0]["dated"] = [{"fact": "trial recruiting", "kind": kind, date_field: CHECKED}]
    return parse_knowledge(data, PATH)


@pytest.mark.parametrize(
    "kind, fresh_until, stale_on",
    [
        ("trial_status", dt.date(2026, 7, 10), dt.date(2026, 7, 11)),  # 6 months
        ("national_policy", dt.date(2027, 1, 10), dt.date(2027, 1, 11)),  # 12 months
        ("insurer_policy", dt.date(2027, 1, 10), dt.date(2027, 1, 11)),
        ("helpline", dt.date(2027, 1, 10), dt.date(2027, 1, 11)),
        ("regulator", dt.date(2027, 1, 10), dt.date(2027, 1, 11)),
    ],
)
def test_a_dated_fact_goes_stale_after_its_limit(kind, fresh_until, stale_on):
    knowledge = knowledge_with(kind)
    assert not [p for p in stale_items(knowledge, fresh_until) if "trial recruiting" in p]
    [problem] = [p for p in stale_items(knowledge, stale_on) if "trial recruiting" in p]
    assert problem.startswith("entry 'alpha', answer: 'trial recruiting'")
    assert "2026-01-10" in problem and "re-check" in problem


def test_what_a_source_said_on_a_past_day_does_not_go_stale():
    knowledge = knowledge_with("trial_status", "said_on")
    assert not [p for p in stale_items(knowledge, dt.date(2030, 1, 1)) if "trial recruiting" in p]


def test_an_old_review_date_is_listed():
    knowledge = parse_knowledge(valid_data(), PATH)  # reviewed 2026-01-01
    assert stale_items(knowledge, dt.date(2027, 1, 1)) == []
    problems = stale_items(knowledge, dt.date(2027, 1, 2))
    assert "entry 'alpha': last reviewed 2026-01-01, more than 12 months ago: re-check the whole of it" in problems
    assert any(p.startswith("notice 'crisis': last reviewed") for p in problems)
    assert any(p.startswith("self_check: last reviewed") for p in problems)


@pytest.mark.parametrize(
    "day, months, expected",
    [
        (dt.date(2026, 11, 30), 6, dt.date(2026, 5, 30)),
        (dt.date(2026, 8, 31), 6, dt.date(2026, 2, 28)),
        (dt.date(2026, 3, 15), 12, dt.date(2025, 3, 15)),
    ],
)
def test_months_before(day, months, expected):
    assert months_before(day, months) == expected


def test_the_project_file_is_fresh_today_and_validate_fails_with_a_list_when_it_is_not(root):
    ok = subprocess.run(
        [sys.executable, "-m", "actions.knowledge", "knowledge/ahsct.yml", "--today", "2026-12-01"],
        cwd=root,
        capture_output=True,
        text=True,
    )
    assert ok.returncode == 0, ok.stderr
    later = subprocess.run(
        [sys.executable, "-m", "actions.knowledge", "knowledge/ahsct.yml", "--today", "2028-01-01"],
        cwd=root,
        capture_output=True,
        text=True,
    )
    assert later.returncode == 1
    assert "to re-check before release" in later.stderr
    assert "notice 'crisis', text: 'crisis line numbers" in later.stderr
    assert "last reviewed 2026-11-30" in later.stderr


def test_every_trial_status_is_dated(knowledge):
    """Trial statuses in the project are either checked within 6 months or reported with their date."""
    entry = knowledge.entries["clinical_trials"]
    kinds = [d.kind for p in entry.parts.values() for d in p.dated]
    assert kinds.count("trial_status") >= 5
