/*
 * Turning the assistant's plain-text replies into safe HTML for the chat widget.
 *
 * Pure functions, no DOM: the browser gets them as window.AhsctRender, node's test
 * runner (web/tests/) as a CommonJS module. Bot text is escaped, its addresses become
 * links (http, https and mailto only) and the result still goes through DOMPurify
 * before it reaches innerHTML. User text never goes through here: it is set with
 * textContent.
 */
(function (root, factory) {
  "use strict";
  if (typeof module === "object" && module.exports) {
    module.exports = factory();
  } else {
    root.AhsctRender = factory();
  }
})(typeof self !== "undefined" ? self : this, function () {
  "use strict";

  var ALLOWED_PROTOCOLS = ["http:", "https:", "mailto:"];
  var URL_RE = /(https?:\/\/[^\s<>"']+|mailto:[^\s<>"']+)/g;
  var TRAILING_PUNCTUATION = /[.,;:!?)\]]+$/;
  // "Source: Title (Publisher, 2025) https://..." as written by actions/answers.py
  var SOURCE_LINE = /^Source: (.+?) (https?:\/\/\S+)$/;
  var REVIEWED_LINE = /^Last reviewed: .+$/;

  var SANITIZE_CONFIG = {
    ALLOWED_TAGS: ["a", "br", "p"],
    ALLOWED_ATTR: ["href", "target", "rel"],
    ALLOWED_URI_REGEXP: /^(?:https?:|mailto:)/i,
    RETURN_TRUSTED_TYPE: false,
  };

  function escapeHtml(text) {
    return String(text)
      .replace(/&/g, "&amp;")
      .replace(/</g, "&lt;")
      .replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;")
      .replace(/'/g, "&#39;");
  }

  /** The address if it is an absolute http, https or mailto URL; otherwise null. */
  function safeUrl(href) {
    if (typeof href !== "string" || !href.trim()) return null;
    var url;
    try {
      url = new URL(href.trim());
    } catch (e) {
      return null;
    }
    return ALLOWED_PROTOCOLS.indexOf(url.protocol) === -1 ? null : url.href;
  }

  function link(href, label) {
    return (
      '<a href="' + escapeHtml(href) + '" target="_blank" rel="noopener noreferrer">' + escapeHtml(label) + "</a>"
    );
  }

  /** Plain text to HTML: escaped, addresses as links, line breaks kept. */
  function textToHtml(text) {
    var parts = String(text == null ? "" : text).split(URL_RE);
    var html = "";
    for (var i = 0; i < parts.length; i++) {
      var part = parts[i];
      if (i % 2 === 1) {
        var trailing = (part.match(TRAILING_PUNCTUATION) || [""])[0];
        var address = trailing ? part.slice(0, -trailing.length) : part;
        var href = safeUrl(address);
        html += (href ? link(href, address) : escapeHtml(address)) + escapeHtml(trailing);
      } else {
        html += escapeHtml(part);
      }
    }
    return html.replace(/\r?\n/g, "<br>");
  }

  /** Splits an answer into its body, its "Source:" lines (shown as links under it) and its review date. */
  function splitAnswer(text) {
    var body = [];
    var sources = [];
    var reviewed = null;
    String(text == null ? "" : text)
      .split(/\r?\n/)
      .forEach(function (line) {
        var source = line.match(SOURCE_LINE);
        var href = source && safeUrl(source[2]);
        if (href) {
          sources.push({ label: source[1], url: href });
        } else if (REVIEWED_LINE.test(line)) {
          reviewed = line;
        } else {
          body.push(line);
        }
      });
    return { body: body.join("\n").replace(/\n+$/, ""), sources: sources, reviewed: reviewed };
  }

  /** DOMPurify with our allow-list; every link opens in a new tab without access to this page. */
  function sanitize(html, purify) {
    if (!purify || typeof purify.sanitize !== "function") {
      throw new Error("DOMPurify is required to show the assistant's replies");
    }
    if (!purify.__ahsctHook) {
      purify.addHook("afterSanitizeAttributes", function (node) {
        if (node.tagName === "A") {
          node.setAttribute("target", "_blank");
          node.setAttribute("rel", "noopener noreferrer");
        }
      });
      purify.__ahsctHook = true;
    }
    return purify.sanitize(html, SANITIZE_CONFIG);
  }

  function isFeedbackPayload(payload) {
    return typeof payload === "string" && payload.indexOf("/feedback") === 0;
  }

  /** Buttons from a socket.io bot message (Rasa sends `quick_replies`; custom senders `buttons`). */
  function buttonsOf(message) {
    var list = (message && (message.quick_replies || message.buttons)) || [];
    return list
      .filter(function (b) {
        return b && typeof b.title === "string" && typeof b.payload === "string";
      })
      .map(function (b) {
        return { title: b.title, payload: b.payload, feedback: isFeedbackPayload(b.payload) };
      });
  }

  var SUMMARY_PATH = /^\/webhooks\/summary\/[A-Za-z0-9_-]{43}(\/pdf)?$/;

  /**
   * The links of a "notes for the neurologist" message ({view, pdf, expires_at}), made absolute
   * on the assistant's server; null unless both are the server's own summary addresses.
   */
  function summaryLinks(summary, server) {
    if (!summary || typeof summary.view !== "string" || typeof summary.pdf !== "string") return null;
    if (!SUMMARY_PATH.test(summary.view) || !SUMMARY_PATH.test(summary.pdf)) return null;
    if (/\/pdf$/.test(summary.view) || !/\/pdf$/.test(summary.pdf)) return null;
    var base;
    try {
      base = new URL(server);
    } catch (e) {
      return null;
    }
    if (base.protocol !== "http:" && base.protocol !== "https:") return null;
    var expires = Date.parse(summary.expires_at);
    return {
      view: new URL(summary.view, base).href,
      pdf: new URL(summary.pdf, base).href,
      expires: isNaN(expires) ? null : expires,
    };
  }

  return {
    summaryLinks: summaryLinks,
    escapeHtml: escapeHtml,
    safeUrl: safeUrl,
    textToHtml: textToHtml,
    splitAnswer: splitAnswer,
    sanitize: sanitize,
    isFeedbackPayload: isFeedbackPayload,
    buttonsOf: buttonsOf,
    SANITIZE_CONFIG: SANITIZE_CONFIG,
  };
});
