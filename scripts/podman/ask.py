"""Asks a running assistant one question over REST and checks the answer against the knowledge
file (make image-test, make compose-test). Waits for the server first.

    python scripts/podman/ask.py URL [--sender ID] [--wait SECONDS] [--expect ENTRY] [--summary] [--steady N]

Exit status 0 when the reply holds the entry's answer; prints the reply's first 200 characters.
With --summary it then asks for the notes for the neurologist and opens their page and PDF through
the same URL (the image's font and PDF library; on compose, Redis-shared links through nginx).
With --steady N, N requests at once must all be answered (compose: nginx just after a replica is up).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from actions.knowledge import load_knowledge  # noqa: E402
from devtools.stack import http_ok  # noqa: E402


def wait_until_up(url: str, seconds: float) -> float:
    """Seconds until GET url answers 200; raises TimeoutError after `seconds`."""
    start = time.monotonic()
    while not http_ok(url, timeout=5):
        if time.monotonic() - start > seconds:
            raise TimeoutError(f"{url} did not answer within {seconds:.0f} s")
        time.sleep(1)
    return time.monotonic() - start


def ask(base_url: str, sender: str, message: str) -> list[dict]:
    body = json.dumps({"sender": sender, "message": message}).encode()
    request = urllib.request.Request(
        f"{base_url}/webhooks/rest/webhook", data=body, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read())


def check_summary(base_url: str, sender: str, question: str) -> str | None:
    """What is wrong with the notes of the conversation (page and PDF), or None."""
    replies = ask(base_url, sender, "/request_summary")
    links = [r["custom"]["summary"] for r in replies if isinstance(r.get("custom"), dict) and "summary" in r["custom"]]
    if not links:
        return f"no summary link in {replies!r:.200}"
    with urllib.request.urlopen(base_url + links[0]["view"], timeout=60) as response:
        if question not in response.read().decode("utf-8", "replace"):
            return "the notes' page does not name the topic asked"
    with urllib.request.urlopen(base_url + links[0]["pdf"], timeout=60) as response:
        pdf = response.read()
    return None if pdf.startswith(b"%PDF-") and len(pdf) > 5000 else f"not a PDF ({len(pdf)} bytes)"


def steady(url: str, count: int) -> str:
    """What went wrong with `count` requests sent at once (each its own connection), or ''."""
    from concurrent.futures import ThreadPoolExecutor

    def status(_: int) -> str:
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                return "ok" if response.status == 200 else str(response.status)
        except urllib.error.HTTPError as error:
            return str(error.code)
        except OSError as error:
            return type(error).__name__

    with ThreadPoolExecutor(max_workers=min(count, 8)) as pool:
        results = list(pool.map(status, range(count)))
    bad = [r for r in results if r != "ok"]
    return f"{len(bad)} of {count} failed: {sorted(set(bad))}" if bad else ""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url", help="base URL of the Rasa server or of nginx in front of it")
    parser.add_argument("--sender", default=None, help="conversation id (default: a new one)")
    parser.add_argument("--message", default="is ahsct fda approved?")
    parser.add_argument("--expect", default="fda_status", help="knowledge entry whose answer must be in the reply")
    parser.add_argument("--wait", type=float, default=300, help="seconds to wait for the server")
    parser.add_argument("--summary", action="store_true", help="then open the notes for the neurologist")
    parser.add_argument("--steady", type=int, default=0, help="then N requests at once, all to be answered")
    args = parser.parse_args()
    base = args.url.rstrip("/")
    waited = wait_until_up(f"{base}/webhooks/rest/", args.wait)
    entry = load_knowledge(ROOT / "knowledge" / "ahsct.yml").entries[args.expect]
    expected = entry.answer
    sender = args.sender or uuid.uuid4().hex
    start = time.monotonic()
    replies = ask(base, sender, args.message)
    took = time.monotonic() - start
    text = "\n".join(r.get("text", "") for r in replies)
    ok = expected in text
    print(f"{'answered' if ok else 'WRONG ANSWER'} in {took:.1f} s (server up after {waited:.0f} s): {text[:200]!r}")
    if ok and args.summary:
        problem = check_summary(base, sender, entry.question)
        print(f"notes for the neurologist: {problem or 'page and PDF served'}")
        ok = problem is None
    if ok and args.steady:
        failed = steady(f"{base}/webhooks/rest/", args.steady)
        print(f"{args.steady} requests right after: {failed or 'all answered'}")
        ok = not failed
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
