/*
 * The AHSCT for MS assistant's chat widget. A site adds one tag:
 *
 *   <script src="https://ASSISTANT-HOST/widget/ahsct-widget.js" data-server="https://RASA-HOST" defer></script>
 *
 * data-server is the assistant's address (Rasa's socket.io channel). The widget loads its
 * stylesheet, render.js, socket.io-client and DOMPurify from where this file came from,
 * never from a CDN. No framework; bot text reaches innerHTML only through
 * AhsctRender.textToHtml and DOMPurify, user text only through textContent.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  if (!script || window.__ahsctWidget) return;
  window.__ahsctWidget = true;

  var SERVER = script.getAttribute("data-server") || window.location.origin;
  var HERE = new URL(".", script.src).href;
  var VENDOR = new URL("../vendor/", script.src).href;
  var MAX_CHARS = 2000; // the server's MAX_MESSAGE_CHARS default
  var MAX_KEPT = 100; // messages kept for a reload
  var KEY = {
    session: "ahsct.session",
    transcript: "ahsct.transcript",
    outbox: "ahsct.outbox",
    open: "ahsct.open",
  };

  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      var el = document.createElement("script");
      el.src = src;
      el.async = false;
      el.onload = resolve;
      el.onerror = function () {
        reject(new Error("could not load " + src));
      };
      document.head.appendChild(el);
    });
  }

  function stored(key, fallback) {
    try {
      var value = JSON.parse(sessionStorage.getItem(key));
      return value == null ? fallback : value;
    } catch (e) {
      return fallback;
    }
  }

  function store(key, value) {
    try {
      sessionStorage.setItem(key, JSON.stringify(value));
    } catch (e) {
      /* private mode or full: the conversation still works, it just won't survive a reload */
    }
  }

  // The server issues the session id (signed, so it cannot be guessed or forged); the page keeps
  // the one it was given, so that a reload continues the same conversation.
  function sessionId() {
    return stored(KEY.session, null);
  }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      node.setAttribute(name, attrs[name]);
    });
    if (text != null) node.textContent = text;
    return node;
  }

  function start() {
    var render = window.AhsctRender;
    var purify = window.DOMPurify;
    var session = sessionId();
    var transcript = stored(KEY.transcript, []);
    var outbox = stored(KEY.outbox, []);
    var confirmed = false;
    var typingTimer = null;

    // --- the page elements -------------------------------------------------------------------
    var root = el("div", { class: "ahsct-root" });
    var launcher = el("button", {
      type: "button",
      class: "ahsct-launcher",
      "aria-expanded": "false",
      "aria-controls": "ahsct-panel",
    }, "Ask about AHSCT");
    var panel = el("section", { id: "ahsct-panel", class: "ahsct-panel", role: "dialog", "aria-labelledby": "ahsct-title" });
    panel.hidden = true;
    var header = el("header", { class: "ahsct-header" });
    var title = el("h2", { id: "ahsct-title" }, "AHSCT information assistant");
    var close = el("button", { type: "button", class: "ahsct-close", "aria-label": "Close the chat" }, "✕");
    header.appendChild(title);
    header.appendChild(close);
    var status = el("p", { class: "ahsct-status", role: "status" }, "Connecting…");
    var log = el("div", { class: "ahsct-log", role: "log", "aria-live": "polite", "aria-label": "Conversation", tabindex: "0" });
    var typing = el("p", { class: "ahsct-typing", "aria-hidden": "true" }, "The assistant is writing…");
    typing.hidden = true;
    var form = el("form", { class: "ahsct-form" });
    var label = el("label", { for: "ahsct-input", class: "ahsct-visually-hidden" }, "Your question about AHSCT");
    var input = el("input", {
      id: "ahsct-input",
      type: "text",
      autocomplete: "off",
      maxlength: String(MAX_CHARS),
      placeholder: "Type your question…",
    });
    var send = el("button", { type: "submit", class: "ahsct-send" }, "Send");
    form.appendChild(label);
    form.appendChild(input);
    form.appendChild(send);
    var note = el(
      "p",
      { class: "ahsct-note" },
      "Information only, not medical advice. In an emergency call 911, 999 or 112."
    );
    [header, status, log, typing, form, note].forEach(function (node) {
      panel.appendChild(node);
    });
    root.appendChild(panel);
    root.appendChild(launcher);
    document.body.appendChild(root);

    // --- messages ----------------------------------------------------------------------------
    function keep() {
      store(KEY.transcript, transcript.slice(-MAX_KEPT));
    }

    function showUser(item) {
      var bubble = el("div", { class: "ahsct-msg ahsct-user" });
      bubble.appendChild(el("span", { class: "ahsct-visually-hidden" }, "You: "));
      bubble.appendChild(el("span", {}, item.text)); // textContent: never parsed as HTML
      return bubble;
    }

    function showBot(item, index) {
      var bubble = el("div", { class: "ahsct-msg ahsct-bot" });
      bubble.appendChild(el("span", { class: "ahsct-visually-hidden" }, "Assistant: "));
      var parts = render.splitAnswer(item.text);
      if (parts.body) {
        var body = el("div", { class: "ahsct-text" });
        body.innerHTML = render.sanitize(render.textToHtml(parts.body), purify);
        bubble.appendChild(body);
      }
      if (parts.sources.length) {
        var list = el("ul", { class: "ahsct-sources", "aria-label": "Sources" });
        parts.sources.forEach(function (source) {
          var li = el("li");
          li.appendChild(el("span", {}, "Source: "));
          var a = el("a", { href: source.url, target: "_blank", rel: "noopener noreferrer" }, source.label);
          li.appendChild(a);
          list.appendChild(li);
        });
        bubble.appendChild(list);
      }
      if (parts.reviewed) bubble.appendChild(el("p", { class: "ahsct-reviewed" }, parts.reviewed));
      var buttons = item.buttons || [];
      if (buttons.length) {
        var choices = el("div", { class: "ahsct-buttons" });
        var feedback = el("div", { class: "ahsct-feedback", role: "group", "aria-label": "Was this helpful?" });
        var all = [];
        buttons.forEach(function (b) {
          var button = el("button", { type: "button", class: b.feedback ? "ahsct-fb" : "ahsct-choice" }, b.title);
          button.disabled = !!item.used;
          button.addEventListener("click", function () {
            all.forEach(function (other) {
              other.disabled = true;
            });
            transcript[index].used = true;
            keep();
            say(b.payload, b.title);
            input.focus(); // the pressed button is now disabled: keep keyboard users in the conversation
          });
          all.push(button);
          (b.feedback ? feedback : choices).appendChild(button);
        });
        if (choices.childNodes.length) bubble.appendChild(choices);
        if (feedback.childNodes.length) bubble.appendChild(feedback);
      }
      return bubble;
    }

    // The notes for the neurologist: a page to print or save as PDF, and the PDF itself, both
    // on the assistant's server for one hour.
    function showSummary(item) {
      var bubble = el("div", { class: "ahsct-msg ahsct-bot ahsct-summary" });
      bubble.appendChild(el("span", { class: "ahsct-visually-hidden" }, "Assistant: "));
      var links = render.summaryLinks(item.summary, SERVER);
      if (!links || (links.expires && links.expires <= Date.now())) {
        bubble.appendChild(el("p", {}, "This link to your notes has expired. Type \"summary\" for new ones."));
        return bubble;
      }
      var actions = el("div", { class: "ahsct-buttons" });
      actions.appendChild(
        el("a", { class: "ahsct-choice", href: links.view, target: "_blank", rel: "noopener noreferrer" }, "Print or save as PDF")
      );
      actions.appendChild(
        el("a", { class: "ahsct-choice", href: links.pdf, download: "", rel: "noopener noreferrer" }, "Download PDF")
      );
      bubble.appendChild(actions);
      if (links.expires) {
        var until = new Date(links.expires).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
        bubble.appendChild(el("p", { class: "ahsct-reviewed" }, "These links work until " + until + "."));
      }
      return bubble;
    }

    function show(item, index) {
      var bubble = (item.from === "user" ? showUser : item.summary ? showSummary : showBot)(item, index);
      log.appendChild(bubble);
      return bubble;
    }

    var lastBubble = null;

    function add(item) {
      transcript.push(item);
      keep();
      lastBubble = show(item, transcript.length - 1);
      log.scrollTop = log.scrollHeight;
    }

    // Rasa's socket.io channel sends an answer's source and review date as messages of their own
    // (it splits at blank lines): they belong under the answer, in the same bubble.
    function addBot(text, buttons) {
      var last = transcript[transcript.length - 1];
      var belongs = /^(Source: |Last reviewed: )/.test(text);
      if (belongs && last && last.from === "bot" && !last.summary && !(last.buttons || []).length && lastBubble) {
        last.text += "\n" + text;
        last.buttons = buttons;
        keep();
        // A keyboard user may already be on a link of the answer: keep them on it in the new bubble.
        var focusedAt = Array.prototype.indexOf.call(lastBubble.querySelectorAll("a, button"), document.activeElement);
        var bubble = showBot(last, transcript.length - 1);
        log.replaceChild(bubble, lastBubble);
        lastBubble = bubble;
        if (focusedAt >= 0) (bubble.querySelectorAll("a, button")[focusedAt] || input).focus();
        log.scrollTop = log.scrollHeight;
      } else {
        add({ from: "bot", text: text, buttons: buttons });
      }
    }

    function setTyping(on) {
      clearTimeout(typingTimer);
      typing.hidden = !on;
      if (on) {
        typingTimer = setTimeout(function () {
          typing.hidden = true;
        }, 20000);
      }
    }

    // --- the connection ----------------------------------------------------------------------
    var socket = window.io(SERVER, {
      transports: ["websocket"],
      reconnection: true,
      reconnectionDelay: 1000, // then doubling, with jitter, up to 15 s
      reconnectionDelayMax: 15000,
      randomizationFactor: 0.5,
      timeout: 10000,
    });

    function setStatus(text, state) {
      status.textContent = text;
      status.setAttribute("data-state", state);
    }

    function deliver(message) {
      socket.emit("user_uttered", { message: message, session_id: session });
    }

    function say(message, shown) {
      var text = String(message || "").trim();
      if (!text) return;
      if (text.length > MAX_CHARS) text = text.slice(0, MAX_CHARS);
      if (shown !== null) add({ from: "user", text: shown || text });
      if (socket.connected && confirmed) {
        deliver(text);
        setTyping(true);
      } else {
        outbox.push(text);
        store(KEY.outbox, outbox);
        setStatus("Offline: your message will be sent when the connection is back.", "offline");
      }
    }

    socket.on("connect", function () {
      confirmed = false;
      setStatus("Connecting…", "connecting");
      socket.emit("session_request", { session_id: session });
    });

    socket.on("session_confirm", function (id) {
      if (typeof id === "string" && id) {
        session = id;
        store(KEY.session, id);
      }
      confirmed = true;
      setStatus("Connected", "online");
      if (!transcript.length && !outbox.length) {
        deliver("/start"); // a new conversation opens with the welcome and the main topics
        setTyping(true);
      }
      var waiting = outbox;
      outbox = [];
      store(KEY.outbox, outbox);
      waiting.forEach(function (text) {
        deliver(text);
        setTyping(true);
      });
    });

    socket.on("bot_uttered", function (message) {
      if (message && message.summary && render.summaryLinks(message.summary, SERVER)) {
        setTyping(false);
        add({ from: "bot", summary: message.summary });
        return;
      }
      if (!message || typeof message.text !== "string") return;
      setTyping(false);
      addBot(message.text, render.buttonsOf(message));
    });

    socket.on("disconnect", function () {
      confirmed = false;
      setStatus("Connection lost. Reconnecting…", "offline");
    });

    socket.on("connect_error", function () {
      setStatus("Can't reach the assistant. Trying again…", "offline");
    });

    // --- opening, closing, typing --------------------------------------------------------------
    function open() {
      panel.hidden = false;
      launcher.setAttribute("aria-expanded", "true");
      store(KEY.open, true);
      input.focus();
      log.scrollTop = log.scrollHeight;
    }

    function shut() {
      panel.hidden = true;
      launcher.setAttribute("aria-expanded", "false");
      store(KEY.open, false);
      launcher.focus();
    }

    launcher.addEventListener("click", function () {
      if (panel.hidden) open();
      else shut();
    });
    close.addEventListener("click", shut);
    document.addEventListener("keydown", function (event) {
      var active = document.activeElement;
      var inside = panel.contains(active) || active === document.body || active === launcher;
      if (event.key === "Escape" && !panel.hidden && inside) {
        event.preventDefault();
        shut();
      }
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      say(input.value);
      input.value = "";
      input.focus();
    });

    transcript.forEach(function (item, index) {
      lastBubble = show(item, index);
    });
    if (stored(KEY.open, false)) open();
  }

  var css = document.createElement("link");
  css.rel = "stylesheet";
  css.href = HERE + "ahsct-widget.css";
  document.head.appendChild(css);

  Promise.all([
    loadScript(HERE + "render.js"),
    loadScript(VENDOR + "socket.io.min.js"),
    loadScript(VENDOR + "purify.min.js"),
  ])
    .then(start)
    .catch(function (error) {
      if (window.console) console.error("AHSCT widget:", error);
    });
})();
