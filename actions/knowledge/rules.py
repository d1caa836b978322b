"""The editorial rules of the knowledge file: how long a text may be, which addresses a source may
have, that a dated statement says when in words, that a region's text cites that region's own
authorities, and how long a fact or a review stays fresh.

Each rule is a constant or a function that returns the problem in words (None: no problem), so
the schema (actions/knowledge/schema.py) can apply it to any field and this file reads as the
list of rules. The release check of what is stale is actions/freshness.py.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlparse

from actions.knowledge.model import UNDATED, Source

MAX_ANSWER_WORDS = 95  # "about 90 words"; a little slack for numbers and names
MAX_DETAIL_WORDS = 250
MAX_QUESTION_CHARS = 80  # it is shown as a button title
MAX_RELATED = 3
MAX_NOTICE_WORDS = 110
MAX_SHORT_CHARS = 60  # a source's short label, shown under an answer
MAX_FACT_CHARS = 120  # what a dated statement is about
FIRST_SOURCE_YEAR = 1990

# Safety and support texts the assistant must have: crisis support, post-transplant
# warning signs, and helplines by region (helpline_other covers eu and elsewhere).
REQUIRED_NOTICES = ("crisis", "red_flag", "helpline_uk", "helpline_us", "helpline_other")

# Time-sensitive statements: what they are about, and how old their `as_of` may get before
# `python -m actions.knowledge` (make validate) asks for a re-check, in months.
DATED_KINDS: dict[str, int] = {
    "trial_status": 6,
    "national_policy": 12,
    "insurer_policy": 12,
    "helpline": 12,
    "regulator": 12,
}
MAX_REVIEW_AGE_MONTHS = 12  # last_reviewed: the whole entry was checked that day

# Canonical addresses only: DOIs, PubMed/PMC, trial registries, regulators,
# MS organisations and publishers' own article pages. No mirrors or blogs.
CANONICAL_HOSTS = frozenset(
    {
        "doi.org",
        "988lifeline.org",
        "www.samaritans.org",
        "pubmed.ncbi.nlm.nih.gov",
        "pmc.ncbi.nlm.nih.gov",
        "clinicaltrials.gov",
        "www.isrctn.com",
        "trialsearch.who.int",
        "www.nationalmssociety.org",
        "www.mssociety.org.uk",
        "mstrust.org.uk",
        "www.msaustralia.org.au",
        "msra.org.au",
        "www.fda.gov",
        "www.ema.europa.eu",
        "www.england.nhs.uk",
        "www.nhs.uk",
        "www.nss.nhs.scot",
        "jnnp.bmj.com",
        "jamanetwork.com",
        "www.nature.com",
        "www.thelancet.com",
        "ashpublications.org",
        # Regulators and national health bodies
        "www.afmps.be",
        "www.nice.org.uk",
        "www.christie.nhs.uk",
        "cuh.nhs.uk",
        "immunisationhandbook.health.gov.au",
        # Transplant and cancer charities' and transplant centres' own patient pages (warning signs
        # after going home)
        "www.anthonynolan.org",
        "www.macmillan.org.uk",
        "maggiescentres.org",
        "my.clevelandclinic.org",
        "www.urmc.rochester.edu",
        # The American Academy of Neurology's abstract site for its annual meeting
        "index.mirasmart.com",
        # An insurer's own published policy, and a trial's own website
        "anthem.com",
        "www.beat-ms.org",
        # Crisis lines' and MS organisations' own sites
        "988.ca",
        "www.lifeline.org.au",
        "telemanas.mohfw.gov.in",
        "112.gov.in",
        "1737.org.nz",
        "www.ms-society.ie",
        "mscanada.ca",
        "www.msnz.org.nz",
        "www.emsp.org",
        "nationaalmsfonds.nl",
    }
)

_HTML_RE = re.compile(r"<[a-zA-Z/!]")


def text_problem(value: Any, *, max_words: int | None = None, max_chars: int | None = None) -> str | None:
    """A text is plain (no HTML), not empty, and within its limit of words or characters."""
    if not isinstance(value, str) or not value.strip():
        return "must be a non-empty text"
    words = len(value.split())
    if max_words is not None and words > max_words:
        return f"has {words} words; at most {max_words} allowed"
    if max_chars is not None and len(value) > max_chars:
        return f"has {len(value)} characters; at most {max_chars} allowed"
    if "<" in value and _HTML_RE.search(value):
        return "must be plain text (no HTML)"
    return None


def url_problem(url: Any) -> str | None:
    """A source's address is https and on a canonical host (CANONICAL_HOSTS)."""
    if not isinstance(url, str) or not url.startswith("https://"):
        return "must be an https:// address"
    host = urlparse(url).hostname or ""
    if host not in CANONICAL_HOSTS:
        return f"host '{host}' is not a canonical source address (see CANONICAL_HOSTS)"
    return None


def year_problem(year: Any, today: dt.date) -> str | None:
    """A source's year is a year from FIRST_SOURCE_YEAR to this one, or 'undated'."""
    if year == UNDATED or (
        isinstance(year, int) and not isinstance(year, bool) and FIRST_SOURCE_YEAR <= year <= today.year
    ):
        return None
    return f"must be a year between {FIRST_SOURCE_YEAR} and {today.year}, or '{UNDATED}' for a page that shows no date"


def month_year(value: dt.date) -> str:
    """How an answer says a date: "June 2025"."""
    return f"{value:%B %Y}"


def said_when_problem(fact: str, day: dt.date, text: str) -> str | None:
    """A dated statement's text says its month and year in words ("as of June 2025")."""
    if month_year(day) in text:
        return None
    return f"the text must say when: '{month_year(day)}' (for {fact!r})"


def authority_problem(place: str, sources: Iterable[Source]) -> str | None:
    """A text for one region (or a country of it) does not cite only other regions' national
    bodies: an NHS page alone cannot support what is true in the US. Research papers and
    international bodies (no authority) are fine anywhere."""
    sources = tuple(sources)
    if sources and all(s.authority not in (None, place) for s in sources):
        return f"cites only other regions' authorities ({', '.join(s.label for s in sources)})"
    return None
