"""The neurologist summary (actions/summary.py) as a print-styled web page and as a PDF, with the
same content. Plain Python: the summary channel (addons/channels/summary.py) serves both.

The page is for reading on a phone and for printing on A4 or US Letter: 12 pt or larger, black on
white, no chat widget, each source's address written out. The PDF is made with fpdf2 and embeds
DejaVu Sans (Debian's fonts-dejavu-core, installed by `make setup` and the image), which covers
accented Latin, Greek and Cyrillic; a character it has no glyph for (an emoji) is left out rather
than printed as a box.
"""

from __future__ import annotations

import base64
import hashlib
import html
import logging
import os
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from actions.answers import format_date
from actions.knowledge import Source
from actions.messages import (
    SUMMARY_ALSO_ASKED,
    SUMMARY_ANSWERS_HEADING,
    SUMMARY_CRITERIA_SOURCES,
    SUMMARY_FOR_PLACE,
    SUMMARY_MADE_ON,
    SUMMARY_MORE_TOPICS,
    SUMMARY_NO_ANSWERS_TEXT,
    SUMMARY_NOTE,
    SUMMARY_QUESTIONS_HEADING,
    SUMMARY_SUPPORT_HEADING,
    SUMMARY_TITLE,
    SUMMARY_TOPICS_HEADING,
)
from actions.summary import Summary

# fpdf2's and fontTools' debug logs can quote the document's text: the notes stay out of every log.
for _name in ("fpdf", "fontTools"):
    logging.getLogger(_name).setLevel(logging.WARNING)

FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"),)
FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}
BODY_PT = 12
LINE_MM = 5.0

# The page's own style and script, allowed by their hashes in its Content-Security-Policy.
STYLE = """
:root { color-scheme: light; }
html { background: #fff; color: #111; }
body { font: 12pt/1.4 "DejaVu Sans", Verdana, Arial, sans-serif; max-width: 180mm; margin: 0 auto; padding: 12px; }
h1 { font-size: 18pt; margin: 0 0 4px; }
h2 { font-size: 14pt; margin: 16px 0 6px; border-bottom: 1px solid #555; }
p, li { font-size: 12pt; margin: 0 0 6px; }
ol { margin: 0; padding-left: 1.5em; }
.note { border: 1px solid #111; padding: 8px; }
.reading { font-weight: bold; margin: 10px 0 2px; }
.src { overflow-wrap: anywhere; color: #111; padding-left: 1em; }
.actions { display: flex; flex-wrap: wrap; gap: 12px; margin: 12px 0; }
.actions button, .actions a { font: inherit; padding: 10px 16px; border: 2px solid #111; border-radius: 6px;
  background: #fff; color: #111; text-decoration: none; cursor: pointer; }
@page { margin: 15mm; }
@media print {
  .actions { display: none; }
  body { padding: 0; max-width: none; line-height: 1.3; }
  h2 { margin-top: 12px; break-after: avoid; }
  .reading { break-after: avoid; }
  a { color: #111; text-decoration: none; }
}
""".strip()
SCRIPT = 'document.getElementById("print").addEventListener("click", function () { window.print(); });'


def _hash(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")


def content_security_policy() -> str:
    """Nothing but the page's own style and print button: no other script, image, frame or form."""
    return (
        f"default-src 'none'; style-src '{_hash(STYLE)}'; script-src '{_hash(SCRIPT)}'; "
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    )


def _source(src: Source) -> str:
    """Its short label where it has one, and its address written out."""
    return f"{src.label}: {src.url}"


def sections(summary: Summary) -> list[tuple[str, list[tuple[str, str]]]]:
    """The summary as headed sections of (kind, text) lines, shared by the page and the PDF.
    Kinds: "term" (a bold line), "text", "item" (a bulleted line), "number" (a numbered line), "source"."""
    answers: list[tuple[str, str]] = []
    for line in summary.answers:
        answers.append(("term", f"{line.question}: {line.answer}"))
        answers.append(("text", f"{line.criteria}. {line.note}"))
    if not summary.answers:
        answers.append(("text", SUMMARY_NO_ANSWERS_TEXT))
    else:
        answers.append(("text", SUMMARY_CRITERIA_SOURCES))
        answers += [("source", _source(src)) for src in summary.criteria_sources]
        answers.append(("text", f"Last reviewed: {format_date(summary.criteria_reviewed)}"))
    out = [(SUMMARY_ANSWERS_HEADING, answers)]
    if summary.topics:
        topics: list[tuple[str, str]] = []
        for topic in summary.topics:
            topics.append(("term", topic.question))
            topics.append(("text", topic.takeaway))
            if topic.source is not None:
                topics.append(("source", _source(topic.source)))
        if summary.also_asked:
            more = SUMMARY_MORE_TOPICS.format(n=summary.more_topics) if summary.more_topics else ""
            topics.append(("text", SUMMARY_ALSO_ASKED.format(topics="; ".join(summary.also_asked), more=more)))
        out.append((SUMMARY_TOPICS_HEADING, topics))
    out.append((SUMMARY_QUESTIONS_HEADING, [("number", q) for q in summary.questions]))
    support = [("text", line) for line in summary.helpline.splitlines() if line.strip()]
    if summary.place:
        support.append(("text", SUMMARY_FOR_PLACE.format(place=summary.place)))
    support += [("source", _source(src)) for src in summary.helpline_sources]
    out.append((SUMMARY_SUPPORT_HEADING, support))
    return out


# --- the web page ---------------------------------------------------------------------------


def _html_lines(lines: Iterable[tuple[str, str]]) -> str:
    parts: list[str] = []
    numbered: list[str] = []

    def flush() -> None:
        if numbered:
            parts.append("<ol>" + "".join(f"<li>{q}</li>" for q in numbered) + "</ol>")
            numbered.clear()

    for kind, text in lines:
        safe = html.escape(text)
        if kind != "number":
            flush()
        if kind == "term":
            parts.append(f'<p class="reading">{safe}</p>')
        elif kind == "number":
            numbered.append(safe)
        elif kind == "source":
            parts.append(f'<p class="src">Source: {safe}</p>')
        else:
            parts.append(f"<p>{safe}</p>")
    flush()
    return "\n".join(parts)


def to_html(summary: Summary, pdf_href: str | None = None) -> str:
    """The print-styled page. `pdf_href`: where "Download PDF" points (no button if None)."""
    download = f'<a href="{html.escape(pdf_href)}" download>Download PDF</a>' if pdf_href else ""
    body = "\n".join(
        f"<section><h2>{html.escape(heading)}</h2>\n{_html_lines(lines)}</section>"
        for heading, lines in sections(summary)
    )
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<meta name="referrer" content="no-referrer">
<title>{html.escape(SUMMARY_TITLE)}</title>
<style>{STYLE}</style>
</head>
<body>
<main>
<h1>{html.escape(SUMMARY_TITLE)}</h1>
<p>{html.escape(SUMMARY_MADE_ON.format(date=format_date(summary.made_on)))}</p>
<p class="note">{html.escape(SUMMARY_NOTE)}</p>
<div class="actions"><button type="button" id="print">Print or save as PDF</button>{download}</div>
{body}
</main>
<script>{SCRIPT}</script>
</body>
</html>
"""


# --- the PDF --------------------------------------------------------------------------------


def font_paths() -> dict[str, Path]:
    """DejaVu Sans regular and bold (SUMMARY_FONT_DIR, else Debian's place for them)."""
    dirs = [Path(os.environ["SUMMARY_FONT_DIR"])] if os.environ.get("SUMMARY_FONT_DIR") else list(FONT_DIRS)
    for folder in dirs:
        paths = {style: folder / name for style, name in FONT_FILES.items()}
        if all(p.is_file() for p in paths.values()):
            return paths
    raise FileNotFoundError(
        "DejaVu Sans is missing: install Debian's fonts-dejavu-core (`make setup` does) or set SUMMARY_FONT_DIR"
    )


@lru_cache(maxsize=1)
def _covered() -> frozenset[int]:
    from fontTools.ttLib import TTFont

    with TTFont(str(font_paths()[""]), lazy=True) as font:
        return frozenset(font.getBestCmap())


def printable(text: str) -> str:
    """The text without the characters the font cannot draw (emoji and the like)."""
    covered = _covered()
    return "".join(c for c in text if ord(c) in covered or c in "\n\t")


def to_pdf(summary: Summary) -> bytes:
    """The same content as the page, on A4 or US Letter (summary.paper), in DejaVu Sans 12 pt."""
    from fpdf import FPDF

    pdf = FPDF(format="letter" if summary.paper == "letter" else "A4")
    pdf.set_title(SUMMARY_TITLE)
    pdf.set_creator("AHSCT information assistant")
    pdf.set_margins(15, 15, 15)
    pdf.set_auto_page_break(True, margin=15)
    for style, path in font_paths().items():
        pdf.add_font("DejaVu", style, str(path))
    pdf.add_page()

    def write(text: str, size: int = BODY_PT, bold: bool = False, indent: float = 0.0, gap: float = 0.6) -> None:
        pdf.set_font("DejaVu", "B" if bold else "", size)
        pdf.set_x(pdf.l_margin + indent)
        pdf.multi_cell(
            pdf.epw - indent, LINE_MM * size / BODY_PT, printable(text), align="L", new_x="LMARGIN", new_y="NEXT"
        )
        pdf.ln(gap)

    write(SUMMARY_TITLE, size=18, bold=True)
    write(SUMMARY_MADE_ON.format(date=format_date(summary.made_on)))
    write(SUMMARY_NOTE, gap=3)
    for heading, lines in sections(summary):
        pdf.ln(2)
        write(heading, size=14, bold=True, gap=2)
        number = 0
        for kind, text in lines:
            if kind == "term":
                write(text, bold=True, gap=0.5)
            elif kind == "number":
                number += 1
                write(f"{number}. {text}", indent=2)
            elif kind == "source":
                write(f"Source: {text}", indent=4)
            else:
                write(text)
    return bytes(pdf.output())
