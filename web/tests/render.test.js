// Unit tests for the widget's rendering and sanitising code: `node --test web/tests/`.
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const render = require("../widget/render.js");

test("only http, https and mailto addresses are links", () => {
  assert.equal(render.safeUrl("https://www.fda.gov/x?a=1"), "https://www.fda.gov/x?a=1");
  assert.equal(render.safeUrl("mailto:help@example.org"), "mailto:help@example.org");
  for (const bad of ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,<b>x</b>", "vbscript:x", "/relative", "", null]) {
    assert.equal(render.safeUrl(bad), null, String(bad));
  }
});

test("hostile text is escaped, never markup", () => {
  const html = render.textToHtml('<img src=x onerror=alert(1)> & "quotes" \'single\'');
  assert.equal(html, "&lt;img src=x onerror=alert(1)&gt; &amp; &quot;quotes&quot; &#39;single&#39;");
  assert.ok(!html.includes("<img"));
});

test("addresses become links that open safely; punctuation after them stays text", () => {
  const html = render.textToHtml("See https://www.nhs.uk/conditions/ms/. Or mail mailto:info@mssociety.org.uk");
  assert.ok(html.includes('<a href="https://www.nhs.uk/conditions/ms/" target="_blank" rel="noopener noreferrer">'));
  assert.ok(html.includes("</a>. Or mail"));
  assert.ok(html.includes('href="mailto:info@mssociety.org.uk"'));
});

test("an address cannot break out of its attribute", () => {
  const html = render.textToHtml('https://evil.example/"onmouseover="alert(1)');
  assert.ok(!/<a [^>]*onmouseover/.test(html), html);
  assert.ok(!html.includes('"onmouseover'), html);
});

test("a javascript: address stays text", () => {
  assert.equal(render.textToHtml("javascript:alert(1)"), "javascript:alert(1)");
});

test("line breaks are kept", () => {
  assert.equal(render.textToHtml("one\ntwo"), "one<br>two");
});

test("answers are split into body, sources and review date", () => {
  const text = [
    "No. AHSCT is not FDA-approved for MS.",
    "",
    "Source: Important Patient Information (U.S. Food and Drug Administration, 2021) https://www.fda.gov/vaccines",
    "",
    "Last reviewed: 25 November 2026",
  ].join("\n");
  const parts = render.splitAnswer(text);
  assert.equal(parts.body, "No. AHSCT is not FDA-approved for MS.");
  assert.deepEqual(parts.sources, [
    { label: "Important Patient Information (U.S. Food and Drug Administration, 2021)", url: "https://www.fda.gov/vaccines" },
  ]);
  assert.equal(parts.reviewed, "Last reviewed: 25 November 2026");
});

test("a source line with an unsafe address is not a source", () => {
  const parts = render.splitAnswer("Source: Evil (x, 2020) javascript:alert(1)");
  assert.deepEqual(parts.sources, []);
  assert.equal(parts.body, "Source: Evil (x, 2020) javascript:alert(1)");
});

test("buttons come from quick_replies or buttons, feedback ones marked", () => {
  const buttons = render.buttonsOf({
    text: "x",
    quick_replies: [
      { title: "What is AHSCT?", payload: "/faq_what_is_ahsct" },
      { title: "👍 Helpful", payload: '/feedback{"feedback": "up"}' },
      { title: 3, payload: "/bad" },
    ],
  });
  assert.deepEqual(buttons, [
    { title: "What is AHSCT?", payload: "/faq_what_is_ahsct", feedback: false },
    { title: "👍 Helpful", payload: '/feedback{"feedback": "up"}', feedback: true },
  ]);
  assert.deepEqual(render.buttonsOf(null), []);
});

test("sanitize refuses to run without DOMPurify and passes our allow-list to it", () => {
  assert.throws(() => render.sanitize("<b>x</b>", undefined), /DOMPurify is required/);
  const calls = [];
  const fake = {
    addHook: (name) => calls.push(["hook", name]),
    sanitize: (html, config) => {
      calls.push(["sanitize", config]);
      return "clean";
    },
  };
  assert.equal(render.sanitize("<a href=x>y</a>", fake), "clean");
  assert.deepEqual(calls[0], ["hook", "afterSanitizeAttributes"]);
  const config = calls[1][1];
  assert.deepEqual(config.ALLOWED_TAGS, ["a", "br", "p"]);
  assert.ok(config.ALLOWED_URI_REGEXP.test("https://x") && !config.ALLOWED_URI_REGEXP.test("javascript:x"));
});

test("summary links are the assistant's own summary addresses, made absolute", () => {
  const token = "A".repeat(43);
  const good = { view: `/webhooks/summary/${token}`, pdf: `/webhooks/summary/${token}/pdf`, expires_at: "2026-11-30T12:00:00+00:00" };
  const links = render.summaryLinks(good, "http://127.0.0.1:5005");
  assert.equal(links.view, `http://127.0.0.1:5005/webhooks/summary/${token}`);
  assert.equal(links.pdf, `http://127.0.0.1:5005/webhooks/summary/${token}/pdf`);
  assert.equal(links.expires, Date.parse("2026-11-30T12:00:00Z"));
  const bad = [
    null,
    {},
    { ...good, view: "https://evil.example/webhooks/summary/" + token },
    { ...good, view: "//evil.example/webhooks/summary/" + token },
    { ...good, view: "javascript:alert(1)" },
    { ...good, pdf: `/webhooks/summary/${token}` },
    { ...good, view: `/webhooks/summary/${token}/pdf` },
    { ...good, view: "/webhooks/summary/short" },
    { ...good, view: `/webhooks/summary/${token}/../../x` },
  ];
  for (const summary of bad) assert.equal(render.summaryLinks(summary, "http://127.0.0.1:5005"), null, JSON.stringify(summary));
  assert.equal(render.summaryLinks(good, "javascript:alert(1)"), null);
  assert.equal(render.summaryLinks({ ...good, expires_at: "nonsense" }, "https://chat.example").expires, null);
});
