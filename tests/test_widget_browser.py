"""The web widget in a real browser (Debian's chromium driven by Playwright) against the real
assistant: the demo page, the socket.io channel, the action server. One server set per session."""

from __future__ import annotations

import contextlib
import re
import shutil
import subprocess
import urllib.error
import urllib.request

import pytest

pytestmark = [pytest.mark.model, pytest.mark.browser]

CHROMIUM = "/usr/bin/chromium"
TIMEOUT = 30_000  # ms; the first answer of a session waits for the model to warm up


# Module scope, not session: Playwright's sync API keeps its asyncio loop running in this thread
# while it is open, and every async test run after it would fail ("Runner.run() cannot be called
# from a running event loop"). Closed at the end of this module, the loop is gone before any other.
@pytest.fixture(scope="module")
def browser():
    if not shutil.which(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: `make setup` installs Debian's chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield chromium
        chromium.close()


@contextlib.contextmanager
def visitor(browser, url, **context_options):
    """A fresh visitor (own cookies and sessionStorage) on the page at `url` (none yet if None), in a
    browser context made with `context_options` (viewport, reduced_motion, ...); closed afterwards."""
    context = browser.new_context(**context_options)
    try:
        page = context.new_page()
        if url is not None:
            page.goto(url)
        yield page
    finally:
        context.close()


@pytest.fixture()
def page(browser, stack):
    """A fresh visitor on the demo page; dialogs it opens are dismissed and kept in page.dialogs."""
    with visitor(browser, None, viewport={"width": 1000, "height": 800}) as page:
        page.dialogs = []
        page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
        page.goto(stack.config.web_url + "/")
        yield page


def open_widget(page):
    page.click(".ahsct-launcher")
    page.locator(".ahsct-bot .ahsct-choice").first.wait_for(timeout=TIMEOUT)  # the welcome and its topics


def ask(page, question):
    before = page.locator(".ahsct-bot").count()
    page.fill("#ahsct-input", question)
    page.press("#ahsct-input", "Enter")
    page.locator(".ahsct-bot").nth(before).wait_for(timeout=TIMEOUT)
    page.wait_for_timeout(300)  # the source line arrives as its own socket.io message
    return page.locator(".ahsct-bot").last


def first_sentence(text):
    return re.split(r"(?<=\.) ", " ".join(text.split()))[0]


def test_fda_question_gets_the_answer_with_its_source_link(page, knowledge, root):
    entry = knowledge.entries["fda_status"]
    open_widget(page)
    answer = ask(page, "Is AHSCT FDA approved?")
    assert first_sentence(entry.answer) in " ".join(answer.inner_text().split())
    link = answer.locator(".ahsct-sources a").first
    assert link.get_attribute("href") == entry.sources[0].url
    assert link.get_attribute("rel") == "noopener noreferrer"
    (root / "results").mkdir(exist_ok=True)
    page.screenshot(path=str(root / "results" / "widget.png"))


def test_a_suggested_question_button_asks_it_and_is_used_once(page, knowledge):
    open_widget(page)
    button = page.get_by_role("button", name="What are the risks?")
    button.click()
    answer = page.locator(".ahsct-bot").nth(1)
    answer.wait_for(timeout=TIMEOUT)
    assert first_sentence(knowledge.entries["risks"].answer) in " ".join(answer.inner_text().split())
    assert button.is_disabled()
    assert page.locator(".ahsct-user").last.inner_text().endswith("What are the risks?")


def test_reload_continues_the_conversation(page, knowledge):
    open_widget(page)
    ask(page, "is ahsct fda approved")
    page.reload()
    page.locator(".ahsct-bot").nth(1).wait_for(timeout=TIMEOUT)  # the transcript is back, the panel open
    assert "FDA" in page.locator(".ahsct-log").inner_text()
    page.locator(".ahsct-status[data-state='online']").wait_for(timeout=TIMEOUT)
    answer = ask(page, "where is that from?")
    assert knowledge.entries["fda_status"].question in answer.inner_text()  # context kept by the server


def test_html_in_a_message_is_shown_as_text_and_never_run(page):
    hostile = "<img src=x onerror=alert(1)>"
    open_widget(page)
    ask(page, hostile)
    assert page.locator(".ahsct-user").last.inner_text().endswith(hostile)
    assert page.locator(".ahsct-log img").count() == 0
    assert page.dialogs == []


def test_the_sanitiser_in_the_browser_removes_scripts_and_unsafe_links(page):
    open_widget(page)
    html = page.evaluate(
        """() => AhsctRender.sanitize(
            '<img src=x onerror=alert(1)><a href="javascript:alert(1)">a</a><script>alert(2)</script>' +
            AhsctRender.textToHtml('see https://www.nhs.uk/ ok'), DOMPurify)"""
    )
    assert "onerror" not in html and "<img" not in html and "<script" not in html
    assert "javascript:" not in html
    assert '<a href="https://www.nhs.uk/" target="_blank" rel="noopener noreferrer">' in html
    assert page.dialogs == []


def test_a_question_with_the_keyboard_only_and_escape_closes(page, knowledge):
    from playwright.sync_api import expect

    launcher = page.locator(".ahsct-launcher")
    for _ in range(5):
        page.keyboard.press("Tab")
        if launcher.evaluate("el => el === document.activeElement"):
            break
    expect(launcher).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#ahsct-input")).to_be_focused()
    page.locator(".ahsct-bot .ahsct-choice").first.wait_for(timeout=TIMEOUT)
    page.keyboard.type("can i have children after hsct")
    page.keyboard.press("Enter")
    answer = page.locator(".ahsct-bot").nth(1)
    answer.locator(".ahsct-choice").first.wait_for(timeout=TIMEOUT)  # the whole reply is in
    assert first_sentence(knowledge.entries["fertility"].answer) in " ".join(answer.inner_text().split())
    # Tab from the input back through the buttons of the answer, then press one with Space.
    page.keyboard.press("Shift+Tab")
    for _ in range(12):
        if page.locator(".ahsct-choice:focus").count():
            break
        page.keyboard.press("Shift+Tab")
    expect(page.locator(":focus")).to_have_class("ahsct-choice")
    page.keyboard.press("Space")
    page.locator(".ahsct-bot").nth(2).wait_for(timeout=TIMEOUT)
    page.keyboard.press("Escape")
    expect(page.locator("#ahsct-panel")).to_be_hidden()
    expect(launcher).to_be_focused()


def test_accessible_structure_and_sizes(page):
    open_widget(page)
    log = page.locator(".ahsct-log")
    assert log.get_attribute("role") == "log" and log.get_attribute("aria-live") == "polite"
    assert page.get_by_label("Your question about AHSCT").count() == 1
    for selector in (".ahsct-launcher", ".ahsct-send", ".ahsct-close", ".ahsct-choice", "#ahsct-input"):
        box = page.locator(selector).first.bounding_box()
        assert box and box["height"] >= 44, (selector, box)


def test_usable_on_a_320_pixel_phone_screen(browser, stack):
    with visitor(
        browser, stack.config.web_url + "/", viewport={"width": 320, "height": 640}, device_scale_factor=2
    ) as page:
        open_widget(page)
        box = page.locator("#ahsct-panel").bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 320
        send = page.locator(".ahsct-send").bounding_box()
        assert send["x"] + send["width"] <= 320
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 320


def test_reduced_motion_is_respected(browser, stack):
    with visitor(browser, stack.config.web_url + "/", reduced_motion="reduce") as page:
        page.locator(".ahsct-launcher").wait_for()
        duration = page.locator(".ahsct-launcher").evaluate("el => getComputedStyle(el).transitionDuration")
        assert duration == "0s"


def test_a_page_on_a_foreign_origin_cannot_connect(browser, stack):
    """The demo page from http://localhost:<port> is another origin than the allowed 127.0.0.1 one."""
    with visitor(browser, f"http://localhost:{stack.config.web_port}/") as page:
        page.click(".ahsct-launcher")
        page.locator(".ahsct-status[data-state='offline']").wait_for(timeout=TIMEOUT)
        page.wait_for_timeout(1500)
        assert page.locator(".ahsct-bot").count() == 0


def engine_io_handshake(stack, origin):
    request = urllib.request.Request(
        f"{stack.config.rasa_url}/socket.io/?EIO=4&transport=polling", headers={"Origin": origin}
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_the_socket_io_endpoint_accepts_only_allowed_origins(stack):
    assert engine_io_handshake(stack, stack.config.web_url) == 200
    assert engine_io_handshake(stack, "https://evil.example") == 400
    assert engine_io_handshake(stack, f"http://localhost:{stack.config.web_port}") == 400


def test_a_message_typed_offline_is_sent_on_reconnect(page, knowledge):
    open_widget(page)
    page.context.set_offline(True)
    page.locator(".ahsct-status[data-state='offline']").wait_for(timeout=TIMEOUT)
    page.fill("#ahsct-input", "what are the risks of hsct")
    page.press("#ahsct-input", "Enter")
    assert page.locator(".ahsct-user").last.inner_text().endswith("what are the risks of hsct")
    assert page.locator(".ahsct-bot").count() == 1  # nothing answered yet
    page.context.set_offline(False)
    answer = page.locator(".ahsct-bot").nth(1)
    answer.wait_for(timeout=TIMEOUT)
    assert first_sentence(knowledge.entries["risks"].answer) in " ".join(answer.inner_text().split())
    assert page.locator(".ahsct-status").inner_text() == "Connected"


def luminance(rgb: str) -> float:
    r, g, b = (int(v) / 255 for v in re.findall(r"\d+", rgb)[:3])
    return sum(
        w * (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4)
        for w, c in zip((0.2126, 0.7152, 0.0722), (r, g, b), strict=True)
    )


def contrast(foreground: str, background: str) -> float:
    lighter, darker = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_text_colours_meet_wcag_aa(page):
    open_widget(page)
    ask(page, "is ahsct fda approved")
    pairs = {
        ".ahsct-launcher": ".ahsct-launcher",
        ".ahsct-send": ".ahsct-send",
        ".ahsct-user": ".ahsct-user",
        ".ahsct-bot .ahsct-text": ".ahsct-bot",
        ".ahsct-bot .ahsct-sources a": ".ahsct-bot",
        ".ahsct-reviewed": ".ahsct-bot",
        ".ahsct-choice": ".ahsct-choice",
        ".ahsct-note": ".ahsct-panel",
        ".ahsct-status": ".ahsct-status",
        ".ahsct-header h2": ".ahsct-header",
    }
    for text, background in pairs.items():
        fg = page.locator(text).last.evaluate("el => getComputedStyle(el).color")
        bg = page.locator(background).last.evaluate("el => getComputedStyle(el).backgroundColor")
        assert contrast(fg, bg) >= 4.5, (text, fg, bg, contrast(fg, bg))


def test_usable_at_200_percent_zoom(browser, stack):
    """A 1280 x 800 screen at 200% zoom is 640 x 400 CSS pixels: the panel fills it and the input shows."""
    with visitor(
        browser, stack.config.web_url + "/", viewport={"width": 640, "height": 400}, device_scale_factor=2
    ) as page:
        open_widget(page)
        panel = page.locator("#ahsct-panel").bounding_box()
        assert panel["width"] <= 640 and panel["height"] <= 400
        field = page.locator("#ahsct-input").bounding_box()
        assert field["y"] + field["height"] <= 400 and field["width"] >= 150
        ask(page, "what is hsct")
        assert page.locator(".ahsct-bot").count() >= 2


def test_the_notes_for_the_neurologist_open_as_a_clean_print_page(page, knowledge, root):
    """The whole self-check in the widget, then its "Summary for my neurologist" button: the print
    page opens in a new tab, with the answers and the questions, 12 pt or larger, no widget."""
    open_widget(page)
    page.get_by_role("button", name="Could AHSCT suit me? (self-check)").click()
    check = knowledge.self_check
    choices = {
        "ms_type": "relapsing",
        "age": "18_44",
        "years": "under_10",
        "walking": "one_aid",
        "dmt_failed": "yes",
        "activity": "yes",
    }
    for question in check.questions:
        page.locator(".ahsct-bot", has_text=question.text[:40]).last.wait_for(timeout=TIMEOUT)
        page.locator(".ahsct-bot").last.get_by_role("button", name=question.option(choices[question.id]).title).click()
    summary_button = page.get_by_role("button", name="Summary for my neurologist")
    summary_button.wait_for(timeout=TIMEOUT)
    summary_button.click()
    links = page.locator(".ahsct-summary a")
    links.first.wait_for(timeout=TIMEOUT)
    assert [links.nth(i).inner_text() for i in range(links.count())] == ["Print or save as PDF", "Download PDF"]
    assert links.nth(1).get_attribute("href").endswith("/pdf")
    with page.context.expect_page() as opened:
        links.first.click()
    notes = opened.value
    notes.wait_for_load_state()
    text = " ".join(notes.inner_text("body").split())
    for question in check.questions:
        option = question.option(choices[question.id])
        assert f"{question.label}: {option.title}" in text
    walking = check.question("walking").option("one_aid")
    assert " ".join(walking.ask.split()) in text
    assert notes.locator(".ahsct-root").count() == 0  # no widget chrome
    sizes = notes.evaluate(
        "() => [...document.querySelectorAll('p, li, dd')].map(e => parseFloat(getComputedStyle(e).fontSize))"
    )
    assert sizes and min(sizes) >= 16  # 12 pt = 16 CSS px
    colour = notes.evaluate("() => getComputedStyle(document.body).color")
    assert colour == "rgb(17, 17, 17)"
    (root / "results").mkdir(exist_ok=True)
    notes.screenshot(path=str(root / "results" / "summary-page.png"), full_page=True)
    notes.emulate_media(media="print")
    assert notes.locator(".actions").is_hidden()  # the buttons are not printed
    notes.screenshot(path=str(root / "results" / "summary-print.png"), full_page=True)
    for paper in ("A4", "Letter"):  # the browser's own "save as PDF", on both papers
        printed = root / "results" / f"summary-print-{paper}.pdf"
        notes.pdf(path=str(printed), format=paper)
        info = subprocess.run(["pdfinfo", str(printed)], capture_output=True, text=True, check=True).stdout
        assert 1 <= int(re.search(r"Pages:\s+(\d+)", info).group(1)) <= 2, paper
        out = subprocess.run(["pdftotext", str(printed), "-"], capture_output=True, text=True, check=True).stdout
        assert " ".join(walking.ask.split()) in " ".join(out.split())
