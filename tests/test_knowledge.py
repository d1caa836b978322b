"""The knowledge loader: the real file is valid, and each kind of invalid file gives a precise error."""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from actions.knowledge import (
    CANONICAL_HOSTS,
    EVIDENCE_KINDS,
    REQUIRED_NOTICES,
    KnowledgeError,
    load_knowledge,
    parse_knowledge,
)

PATH = Path("knowledge/test.yml")


def valid_data() -> dict:
    def entry(entry_id: str, related: list) -> dict:
        return {
            "id": entry_id,
            "question": f"Question about {entry_id}?",
            "answer": "A short plain answer.",
            "sources": [{"title": "A paper", "publisher": "A journal", "year": 2024, "url": "https://doi.org/10.1/x"}],
            "last_reviewed": dt.date(2026, 1, 1),
            "evidence": "cohort",
            "related": related,
        }

    def notice(text: str) -> dict:
        return {
            "text": text,
            "sources": [
                {"title": "A page", "publisher": "A charity", "year": "undated", "url": "https://www.nhs.uk/x"}
            ],
            "last_reviewed": dt.date(2026, 1, 1),
        }

    return {
        "version": 1,
        "notices": {n: notice(f"Text for {n}.") for n in REQUIRED_NOTICES},
        "terms": {
            "ms_type": {"relapsing": ["rrms"], "progressive": ["ppms"]},
            "region": {"uk": ["nhs"], "us": ["usa"]},
        },
        "entries": [entry("alpha", ["beta"]), entry("beta", ["alpha"])],
        "self_check": {
            "intro": "A few questions.",
            "offered_after": ["alpha"],
            "button_title": "Check",
            "result_intro": "How your answers compare.",
            "questions": [
                {
                    "id": "age",
                    "label": "Age",
                    "text": "How old are you?",
                    "unsure_ask": "Does my age matter?",
                    "number": "age",
                    "options": [
                        {"value": "young", "title": "Under 46", "max": 45, "reading": "favours", "note": "Fine."},
                        {"value": "older", "title": "46 or over", "min": 46, "reading": "against", "note": "Less."},
                    ],
                }
            ],
            "neurologist_questions": ["Could it suit me?"],
            "sources": notice("x")["sources"],
            "last_reviewed": dt.date(2026, 1, 1),
        },
    }


def problems_of(data: dict) -> list:
    with pytest.raises(KnowledgeError) as info:
        parse_knowledge(data, PATH)
    return info.value.problems


def test_minimal_valid_file_loads():
    knowledge = parse_knowledge(valid_data(), PATH)
    assert set(knowledge.entries) == {"alpha", "beta"}
    assert knowledge.canonical("ms_type", "RRMS") == "relapsing"
    assert knowledge.canonical("region", " NHS ") == "uk"
    assert knowledge.canonical("region", "mars") is None
    assert knowledge.canonical("region", ["mars", "nhs", "usa"]) == "uk"
    assert knowledge.canonical("region", {"nhs": 1}) is None


def test_project_knowledge_file_is_valid(knowledge):
    assert len(knowledge.entries) >= 23
    for entry in knowledge.entries.values():
        assert entry.sources and entry.last_reviewed <= dt.date.today()
        assert entry.evidence in EVIDENCE_KINDS


def test_every_source_is_canonical(knowledge):
    from urllib.parse import urlparse

    for entry in knowledge.entries.values():
        for src in entry.sources:
            assert urlparse(src.url).hostname in CANONICAL_HOSTS, (entry.id, src.url)


def test_the_warning_signs_answer_agrees_with_the_red_flag_notice(knowledge):
    """What to watch for at home and the emergency guard give the same fever limit and the same
    emergencies, so neither tells someone to wait where the other says act now."""
    import re

    def limits(text: str) -> set[str]:
        return set(re.findall(r"(\d+(?:\.\d+)?)°C(?: \([\d.]+°F\))? or more", text))

    red_flag = knowledge.notices["red_flag"].text
    assert limits(red_flag) == {"37.5"}
    entry = knowledge.entries["warning_signs"]
    shown = [p for key, p in entry.parts.items() if key != "detail" and not key.startswith("point.")]
    assert shown
    for part in shown:
        assert limits(part.text) == limits(red_flag), part.text
        assert "transplant team" in part.text and "emergency number" in part.text
        for emergency in ("chest pain", "trouble breathing", "heavy bleeding"):
            assert emergency in red_flag.lower() and emergency in part.text.lower()
    # A point ("what number do we call?") gives no other limit, and says where to go when the team
    # cannot be reached.
    points = [p for key, p in entry.parts.items() if key.startswith("point.")]
    for part in points:
        assert limits(part.text) <= limits(red_flag), part.text
        assert "transplant team" in part.text and "emergency" in part.text and "don't wait" in part.text
    # The detail may say that other hospitals use higher limits, never a lower one than the notice's.
    detail_limits = [float(x) for x in re.findall(r"(\d+(?:\.\d+)?)°C", entry.detail or "")]
    assert detail_limits and min(d for d in detail_limits if d > 36) == 37.5


def test_the_red_flag_notice_puts_the_ambulance_first_for_the_signs_of_sepsis(knowledge):
    """'hes gone all confused now ... breathing really fast' got "Call your transplant team's emergency
    number now" first, the ambulance only "if you cannot reach them" (a fourth stranger, 2026-12-01)."""
    text = knowledge.notices["red_flag"].text.lower()
    ambulance = text.index("call an ambulance now")
    assert all(sign in text[:ambulance] for sign in ("confused", "breathing fast"))
    assert ambulance < text.index("transplant team's emergency number")


def test_the_death_risk_answer_does_not_open_with_yes(knowledge):
    """'my mum is having the transplant ... is she going to die' got "Yes. In recent studies, about 1
    to 2 in every 100 people died" (a fourth stranger's conversation with a 15-year-old, 2026-12-01)."""
    answer = knowledge.entries["mortality"].answer
    assert not answer.lower().startswith(("yes", "no"))
    assert answer.startswith("Most people come through it")


def part(text: str, url: str = "https://doi.org/10.1/y", **extra) -> dict:
    return {"text": text, "sources": [{"title": "T", "publisher": "P", "year": 2024, "url": url, **extra}]}


def test_variants_are_chosen_by_ms_type_then_country_then_region():
    data = valid_data()
    data["terms"]["region"]["other"] = {"words": ["elsewhere"], "countries": {"canada": ["canada", "canadian"]}}
    data["entries"][0]["variants"] = {
        "ms_type": {"progressive": part("Progressive text.")},
        "region": {"uk": part("UK text."), "other": part("Other text.")},
        "country": {"canada": part("Canada text.")},
    }
    entry = parse_knowledge(data, PATH).entries["alpha"]
    assert entry.answer_for() == "A short plain answer."
    assert entry.answer_for(region="uk") == "UK text."
    assert entry.answer_for(ms_type="progressive", region="uk") == "Progressive text."
    assert entry.answer_for(ms_type="relapsing", region="us") == "A short plain answer."
    assert entry.answer_for(region="other", country="canada") == "Canada text."
    assert entry.answer_for(region="other") == "Other text."
    # Each text brings its own sources.
    assert entry.part_for(region="uk").sources[0].url == "https://doi.org/10.1/y"
    assert entry.part_for().sources[0].url == "https://doi.org/10.1/x"


def test_a_variant_without_its_own_sources_is_refused():
    problems = problems_of(mutate(["entries", 0, "variants"], {"region": {"uk": "UK text with no sources."}}))
    assert any("field 'variants.region.uk': must be a mapping with text and its own sources" in p for p in problems)
    problems = problems_of(mutate(["entries", 0, "variants"], {"region": {"uk": {"text": "UK text."}}}))
    assert any("variants.region.uk.sources" in p and "non-empty list" in p for p in problems), problems


def test_a_region_variant_citing_only_another_regions_authority_is_refused():
    nhs_only = part("US text.", "https://www.england.nhs.uk/x", authority="uk")
    problems = problems_of(mutate(["entries", 0, "variants"], {"region": {"us": nhs_only}}))
    assert any("variants.region.us" in p and "cites only other regions' authorities" in p for p in problems)
    # A research paper (no national authority) or the region's own body is fine.
    mixed = part("US text.", "https://www.fda.gov/x", authority="us")
    parse_knowledge(mutate(["entries", 0, "variants"], {"region": {"us": mixed}}), PATH)


def test_no_region_variant_in_the_project_cites_only_another_regions_authority(knowledge):
    places = {**{r: r for r in ("us", "uk", "eu", "other")}, **{c: v.region for c, v in knowledge.countries.items()}}
    items = [(e.id, key, p) for e in knowledge.entries.values() for key, p in e.parts.items()]
    items += [(n.id, key, p) for n in knowledge.notices.values() for key, p in n.parts.items()]
    checked = 0
    for owner, key, shown in items:
        if "." not in key or key.startswith(("ms_type.", "point.")):
            continue  # the same wherever the person lives
        place = places[key.split(".", 1)[1]]
        assert shown.sources, (owner, key)
        assert any(s.authority in (None, place) for s in shown.sources), (owner, key, [s.label for s in shown.sources])
        checked += 1
    assert checked >= 20


def test_every_text_shown_has_its_own_sources(knowledge):
    for entry in knowledge.entries.values():
        assert entry.parts["answer"].sources, entry.id
        for key, shown in entry.parts.items():
            assert shown.sources, (entry.id, key)
    for notice in knowledge.notices.values():
        assert notice.part_for().sources and all(p.sources for p in notice.parts.values()), notice.id


def test_sources_are_listed_once_and_referred_to_by_id():
    data = valid_data()
    data["sources"] = {"paper": {"title": "A paper", "publisher": "J", "year": 2020, "url": "https://doi.org/10.1/z"}}
    data["entries"][0]["sources"] = ["paper"]
    assert parse_knowledge(data, PATH).entries["alpha"].sources[0].url == "https://doi.org/10.1/z"
    data["entries"][1]["sources"] = ["no_such_source"]
    assert any("unknown source id 'no_such_source'" in p for p in problems_of(data))


@pytest.mark.parametrize(
    "dated, expected",
    [
        (
            [{"fact": "X recruiting", "kind": "trial_status", "as_of": dt.date(2026, 1, 5)}],
            "must say when: 'January 2026'",
        ),
        ([{"fact": "X", "kind": "trial_status"}], "needs exactly one of as_of"),
        (
            [{"fact": "X", "kind": "gossip", "as_of": dt.date(2026, 1, 5)}],
            "kind: must be one of trial_status",
        ),
    ],
)
def test_a_dated_statement_must_be_said_in_words_and_have_one_date(dated, expected):
    data = valid_data()
    data["entries"][0]["dated"] = dated
    problems = problems_of(data)
    assert any(expected in p for p in problems), problems


def test_the_answer_says_when_a_dated_fact_was_checked():
    data = valid_data()
    data["entries"][0]["answer"] = "As of January 2026, X was recruiting."
    data["entries"][0]["dated"] = [{"fact": "X recruiting", "kind": "trial_status", "as_of": dt.date(2026, 1, 5)}]
    entry = parse_knowledge(data, PATH).entries["alpha"]
    assert entry.answer_part.dated[0].as_of == dt.date(2026, 1, 5)


def mutate(path, value):
    """A copy of the valid data with one field changed (value None deletes it)."""
    data = valid_data()
    target = data
    for key in path[:-1]:
        target = target[key]
    if value is None:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return data


@pytest.mark.parametrize(
    "path, value, expected",
    [
        (["entries", 0, "answer"], None, "entry 'alpha' (#1), field 'answer': is required"),
        (["entries", 0, "answer"], "", "entry 'alpha' (#1), field 'answer': must be a non-empty text"),
        (["entries", 0, "answer"], "word " * 120, "entry 'alpha' (#1), field 'answer': has 120 words; at most 95"),
        (
            ["entries", 0, "answer"],
            "Click <a href=x>here</a>",
            "entry 'alpha' (#1), field 'answer': must be plain text",
        ),
        (["entries", 1, "question"], "x" * 81, "entry 'beta' (#2), field 'question': has 81 characters"),
        (["entries", 0, "id"], "Bad Id", "entry 'Bad Id' (#1), field 'id': must be lower_snake_case"),
        (["entries", 1, "id"], "alpha", "entry 'alpha' (#2), field 'id': duplicate id 'alpha'"),
        (["entries", 0, "evidence"], "blog", "entry 'alpha' (#1), field 'evidence': must be one of trial, cohort"),
        (["entries", 0, "last_reviewed"], "last spring", "entry 'alpha' (#1), field 'last_reviewed': must be a date"),
        (
            ["entries", 0, "last_reviewed"],
            dt.date(2999, 1, 1),
            "entry 'alpha' (#1), field 'last_reviewed': 2999-01-01 is in the future",
        ),
        (["entries", 0, "related"], ["gamma"], "entry 'alpha' (#1), field 'related[0]': unknown entry id 'gamma'"),
        (
            ["entries", 0, "related"],
            ["alpha"],
            "entry 'alpha' (#1), field 'related[0]': an entry cannot be related to itself",
        ),
        (["entries", 0, "related"], ["beta"] * 4, "entry 'alpha' (#1), field 'related': must be a list of 1 to 3"),
        (["entries", 0, "sources"], [], "entry 'alpha' (#1), field 'sources': must be a non-empty list"),
        (
            ["entries", 0, "sources", 0, "url"],
            "http://doi.org/10.1/x",
            "entry 'alpha' (#1), field 'sources[0].url': must be an https:// address",
        ),
        (
            ["entries", 0, "sources", 0, "url"],
            "https://someblog.example/post",
            "field 'sources[0].url': host 'someblog.example' is not a canonical",
        ),
        (["entries", 0, "sources", 0, "year"], 1850, "entry 'alpha' (#1), field 'sources[0].year': must be a year"),
        (["entries", 0, "sources", 0, "title"], None, "entry 'alpha' (#1), field 'sources[0].title': is required"),
        (["entries", 0, "colour"], "blue", "entry 'alpha' (#1), field 'colour': is not a known field"),
        (
            ["entries", 0, "variants"],
            {"ms_type": {"benign": "x"}},
            "entry 'alpha' (#1), field 'variants.ms_type.benign': unknown ms_type",
        ),
        (
            ["entries", 0, "variants"],
            {"language": {"fr": "x"}},
            "entry 'alpha' (#1), field 'variants.language': unknown variant kind",
        ),
        (["terms", "region", "mars"], ["red planet"], "terms, field 'region.mars': unknown region"),
        (["version"], 2, "field 'version': must be 1"),
        (["entries"], [], "field 'entries': must be a non-empty list"),
        (["notices", "crisis"], None, "notice 'crisis': is required"),
        (["notices", "red_flag", "text"], "", "notice 'red_flag', field 'text': must be a non-empty text"),
        (
            ["notices", "helpline_uk", "sources", 0, "url"],
            "https://blog.example/x",
            "notice 'helpline_uk', field 'sources[0].url': host 'blog.example'",
        ),
        (
            ["notices", "helpline_us", "last_reviewed"],
            "soon",
            "notice 'helpline_us', field 'last_reviewed': must be a date",
        ),
        (["extra"], {"x": 1}, "field 'extra': is not a known top-level field"),
        (
            ["entries", 0, "points"],
            {
                "some_point": {
                    "asked": ["some words"],
                    "also_for": ["gamma"],
                    "text": "A short plain point.",
                    "sources": [{"title": "A", "publisher": "B", "year": 2024, "url": "https://doi.org/10.1/x"}],
                }
            },
            "entry 'alpha' (#1), field 'points.some_point.also_for': 'gamma' is not another entry",
        ),
        (
            ["entries", 0, "points"],
            {
                "some_point": {
                    "asked": ["some words"],
                    "for_places": ["mars"],
                    "text": "A short plain point.",
                    "sources": [{"title": "A", "publisher": "B", "year": 2024, "url": "https://doi.org/10.1/x"}],
                }
            },
            "unknown country or region: mars",
        ),
    ],
)
def test_each_invalid_field_is_named(path, value, expected):
    problems = problems_of(mutate(path, value))
    assert any(expected in p for p in problems), problems
    assert all(p.startswith(f"{PATH}: ") for p in problems)


def test_all_problems_are_reported_at_once():
    data = valid_data()
    data["entries"][0]["evidence"] = "rumour"
    data["entries"][1]["sources"][0]["url"] = "ftp://x"
    problems = problems_of(data)
    assert len(problems) == 2
    assert "entry 'alpha'" in problems[0] and "entry 'beta'" in problems[1]


def test_file_errors_name_the_file(tmp_path):
    missing = tmp_path / "nope.yml"
    with pytest.raises(KnowledgeError, match=r"nope\.yml: cannot read"):
        load_knowledge(missing)

    broken = tmp_path / "broken.yml"
    broken.write_text("entries: [\n  - id: x\n")
    with pytest.raises(KnowledgeError, match=r"broken\.yml: not valid YAML at line \d+"):
        load_knowledge(broken)

    binary = tmp_path / "binary.yml"
    binary.write_bytes(b"\xff\xfe\x00junk")
    with pytest.raises(KnowledgeError, match=r"binary\.yml: not UTF-8"):
        load_knowledge(binary)

    not_mapping = tmp_path / "list.yml"
    not_mapping.write_text("- just\n- a list\n")
    with pytest.raises(KnowledgeError, match=r"list\.yml: the file must be a mapping"):
        load_knowledge(not_mapping)


def test_valid_file_round_trips_through_yaml(tmp_path):
    path = tmp_path / "ok.yml"
    path.write_text(yaml.safe_dump(valid_data()))
    assert set(load_knowledge(path).entries) == {"alpha", "beta"}


def test_action_server_refuses_to_start_on_an_invalid_file(tmp_path, root):
    import os
    import subprocess
    import sys

    data = copy.deepcopy(valid_data())
    data["entries"][1]["evidence"] = "anecdote"
    path = tmp_path / "bad.yml"
    path.write_text(yaml.safe_dump(data))
    proc = subprocess.run(
        [sys.executable, "-m", "actions"],
        cwd=root,
        env={**os.environ, "KNOWLEDGE_FILE": str(path), "ACTION_PORT": "5999"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 2
    assert f"{path}: entry 'beta' (#2), field 'evidence'" in proc.stderr


# --- the package's layout: no import cycle, the model on its own ------------------------------

KNOWLEDGE_MODULES = [
    "actions.knowledge",
    "actions.knowledge.model",
    "actions.knowledge.rules",
    "actions.knowledge.schema",
    "actions.knowledge.loader",
    "actions.knowledge.__main__",
    "actions.self_check",
    "actions.self_check_schema",
    "actions.freshness",
    "actions.store",
]


def module_imports(root: Path, module: str) -> set[str]:
    """The modules of ours that `module` imports, with the packages they sit in (their __init__ runs
    first), leaving out the packages `module` sits in itself (already running). Imports at the top
    of the module count, those under `if TYPE_CHECKING:` too (the type checker follows them); those
    inside functions do not."""
    import ast

    def path_of(name: str) -> Path | None:
        base = root.joinpath(*name.split("."))
        return next((p for p in (base.with_suffix(".py"), base / "__init__.py") if p.exists()), None)

    def top_level(body: list[ast.stmt]) -> Iterator[ast.stmt]:
        for node in body:
            if isinstance(node, (ast.If, ast.Try)):
                handlers = [line for handler in getattr(node, "handlers", []) for line in handler.body]
                yield from top_level([*node.body, *handlers, *node.orelse, *getattr(node, "finalbody", [])])
            else:
                yield node

    source = path_of(module)
    assert source is not None, module
    names: set[str] = set()
    for node in top_level(ast.parse(source.read_text()).body):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{a.name}" for a in node.names if path_of(f"{node.module}.{a.name}"))
    ours = {n for n in names if n.split(".")[0] in ("actions", "addons")}
    with_packages = {".".join(n.split(".")[:i]) for n in ours for i in range(1, n.count(".") + 2)}
    own_packages = {".".join(module.split(".")[:i]) for i in range(1, module.count(".") + 1)}
    return {n for n in with_packages if path_of(n)} - own_packages - {module}


def test_no_import_cycle_among_the_knowledge_and_self_check_modules(root):
    """Before the package, actions/knowledge.py and actions/self_check.py imported each other (the
    second only for the type checker)."""
    graph: dict[str, set[str]] = {}
    todo = list(KNOWLEDGE_MODULES)
    while todo:
        module = todo.pop()
        if module not in graph:
            graph[module] = module_imports(root, module)
            todo.extend(graph[module])

    def cycle_from(module: str, path: tuple[str, ...]) -> tuple[str, ...] | None:
        if module in path:
            return (*path[path.index(module) :], module)
        return next((c for n in graph[module] if (c := cycle_from(n, (*path, module)))), None)

    for module in graph:
        assert cycle_from(module, ()) is None, " -> ".join(cycle_from(module, ()) or ())


@pytest.mark.parametrize("module", KNOWLEDGE_MODULES)
def test_each_module_imports_on_its_own(root, module):
    """In a fresh interpreter, whatever is imported first (an import cycle fails for some order)."""
    import subprocess
    import sys

    proc = subprocess.run(
        [sys.executable, "-c", f"import {module}"], cwd=root, capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0, proc.stderr[-2000:]


def test_the_model_imports_nothing_of_ours(root):
    """actions/knowledge/model.py is plain dataclasses: anything can use it without the schema or the loader."""
    import ast

    tree = ast.parse((root / "actions" / "knowledge" / "model.py").read_text())
    imported = [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
    imported += [("." * n.level) + (n.module or "") for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
    assert imported and not [m for m in imported if m.startswith((".", "actions", "addons", "tests"))], imported
