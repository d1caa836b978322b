"""`make report`: unanswered questions, negative feedback and answers per topic from tracker events."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import time

from scripts.report import build_report


def row(sender, type_name, intent=None, **data):
    return (sender, type_name, intent, json.dumps(data))


def user(sender, intent, text, entities=()):
    return row(sender, "user", intent, text=text, parse_data={"intent": {"name": intent}, "entities": list(entities)})


def answered(sender, topic):
    return row(sender, "slot", None, name="last_topic", value=topic)


ROWS = [
    user("a", "faq_cost", "how much is it"),
    answered("a", "cost"),
    user("a", "feedback", "/feedback", [{"entity": "feedback", "value": "down"}]),
    user("a", "nlu_fallback", "what about the thing with the cells"),
    user("b", "out_of_scope", "What about the thing  with the cells"),
    user("b", "faq_risks", "risks?"),
    answered("b", "risks"),
    user("b", "feedback", "/feedback", [{"entity": "feedback", "value": "up"}]),
    answered("b", "cost"),
    user("b", "nlu_fallback", "/faq_cost"),
    row("c", "active_loop", None, name="eligibility_form"),
    user("c", "nlu_fallback", "i'm 38"),  # an answer in the self-check, not a question to review
    row("c", "active_loop", None, name=None),
    user("c", "nlu_fallback", "what is a stem cell"),
]


def test_report_counts_from_events():
    report = build_report(ROWS)
    assert report.conversations == 3
    assert report.unanswered == {"what about the thing with the cells": 2, "what is a stem cell": 1}
    assert report.answered == {"cost": 2, "risks": 1}
    assert report.feedback["cost"]["down"] == 1 and report.feedback["risks"]["up"] == 1


def test_report_reads_a_sqlite_tracker_store(tmp_path, root):
    db = tmp_path / "tracker.db"
    with sqlite3.connect(db) as con:
        con.execute(
            "CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id TEXT, type_name TEXT, timestamp FLOAT,"
            " intent_name TEXT, action_name TEXT, data TEXT)"
        )
        now = time.time()
        for n, (sender, type_name, intent, data) in enumerate(ROWS):
            age = 40 * 86400 if n == 0 else 0
            con.execute(
                "INSERT INTO events VALUES (?, ?, ?, ?, ?, NULL, ?)", (n, sender, type_name, now - age, intent, data)
            )
    out = subprocess.run(
        [sys.executable, "scripts/report.py", "--db", str(db), "--days", "30"],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "Questions not answered (3)" in out
    assert "38" not in out
    assert "what about the thing with the cells" in out
    assert "cost" in out and "risks" in out


def test_a_tracker_store_that_cannot_be_read_gets_a_clear_message(tmp_path, root):
    not_a_db = tmp_path / "tracker.db"
    not_a_db.write_text("this is not a database")
    result = subprocess.run(
        [sys.executable, "scripts/report.py", "--db", str(not_a_db)], cwd=root, capture_output=True, text=True
    )
    assert result.returncode == 2
    assert "Cannot read the tracker store" in result.stderr and "Traceback" not in result.stderr
