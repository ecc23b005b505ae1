// The page annotator: marks the glossary's terms in the visible text of any page, with a card on
// hover, focus or tap. Run by the extension (injected when the user asks; text goes to the
// configured server through background.js) or by the bookmarklet (loaded from the glossary server
// at /tools/page-annotator.js; text goes to that server).
//
// It never changes the page's layout or breaks its scripts: a term's text node is split and the
// term wrapped in an inline <span> styled only with an underline (no box, font, margin or padding
// change), nothing else in the DOM is touched, the card lives in a shadow root outside the
// page's flow, and styles are set through the CSSOM, which a page's Content-Security-Policy allows.
(function () {
  "use strict";
  if (window.__glossaryAnnotator) {
    window.__glossaryAnnotator.run(); // a second click annotates what was added since
    return;
  }

  var script = document.currentScript;
  var viaExtension = !script && typeof chrome !== "undefined" && chrome.runtime && chrome.runtime.id;
  var bookmarkletServer = script ? new URL("..", script.src).href.replace(/\/+$/, "") : null;
  var MARK = "data-glossary-term";
  var BATCH = 50000; // characters a request
  var SKIP = /^(SCRIPT|STYLE|NOSCRIPT|TEMPLATE|TEXTAREA|INPUT|SELECT|OPTION|BUTTON|CODE|KBD|SAMP|IFRAME|OBJECT|SVG|MATH|CANVAS|VIDEO|AUDIO|HEAD|TITLE)$/;
  var WORDS = /[\u3400-\u9fff\uf900-\ufaffA-Za-z]/; // Chinese or English: anything else cannot match
  var done = new WeakSet();
  var entries = {};
  var server = bookmarkletServer;
  var observer = null;
  var pending = [];
  var timer = null;

  function ask(text) {
    if (viaExtension) {
      return chrome.runtime.sendMessage({ type: "glossary-annotate", text: text }).then(function (reply) {
        if (!reply || reply.error) throw new Error((reply && reply.error) || "no reply from the extension");
        return reply;
      });
    }
    return fetch(bookmarkletServer + "/api/v1/annotate", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ text: text, lang: "en", format: "json" }),
      credentials: "omit",
    }).then(function (response) {
      return response.json().then(function (body) {
        if (!response.ok) throw new Error(body.detail || "the glossary server answered " + response.status);
        return { matches: body.matches, server: bookmarkletServer };
      });
    });
  }

  function visible(element) {
    if (element.checkVisibility) return element.checkVisibility({ visibilityProperty: true });
    return element.offsetParent !== null || element.getClientRects().length > 0;
  }

  function textNodes(root) {
    var out = [];
    if (root.nodeType === Node.TEXT_NODE) {
      if (!done.has(root) && WORDS.test(root.nodeValue) && root.parentElement && usable(root.parentElement)) out.push(root);
      return out;
    }
    if (root.nodeType !== Node.ELEMENT_NODE || !usable(root)) return out;
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT, {
      acceptNode: function (node) {
        if (node.nodeType === Node.ELEMENT_NODE) {
          if (SKIP.test(node.nodeName.toUpperCase()) || node.hasAttribute(MARK) || node.isContentEditable) {
            return NodeFilter.FILTER_REJECT;
          }
          return NodeFilter.FILTER_SKIP;
        }
        return done.has(node) || !WORDS.test(node.nodeValue) ? NodeFilter.FILTER_SKIP : NodeFilter.FILTER_ACCEPT;
      },
    });
    for (var node = walker.nextNode(); node; node = walker.nextNode()) {
      if (visible(node.parentElement)) out.push(node);
    }
    return out;
  }

  function usable(element) {
    for (var el = element; el; el = el.parentElement) {
      if (SKIP.test(el.nodeName.toUpperCase()) || el.hasAttribute(MARK) || el.isContentEditable) return false;
    }
    return visible(element);
  }

  // The server counts offsets in code points, JavaScript in UTF-16 units: they differ after a
  // character outside the BMP (an emoji, a rare hanzi).
  function unitOffsets(text) {
    if (!/[\ud800-\udbff]/.test(text)) return null;
    var map = [];
    var unit = 0;
    for (var ch of text) {
      map.push(unit);
      unit += ch.length;
    }
    map.push(unit);
    return map;
  }

  function style(span, low) {
    var s = span.style;
    s.setProperty("text-decoration-line", "underline", "important");
    s.setProperty("text-decoration-style", low ? "dotted" : "solid", "important");
    s.setProperty("text-decoration-color", low ? "rgba(110, 110, 110, 0.9)" : "rgba(178, 34, 34, 0.85)", "important");
    s.setProperty("text-decoration-thickness", "1.5px", "important");
    s.setProperty("text-underline-offset", "0.15em", "important");
    s.setProperty("cursor", "help");
    if (low) s.setProperty("opacity", "0.85");
  }

  function wrap(node, matches) {
    // last first, so the node keeps the text before each match
    matches.sort(function (a, b) {
      return b.start - a.start;
    });
    matches.forEach(function (m) {
      node.splitText(m.end);
      var middle = node.splitText(m.start);
      var span = document.createElement("span");
      span.setAttribute(MARK, m.slug);
      span.setAttribute("data-glossary-confidence", m.confidence);
      span.setAttribute("tabindex", "0");
      style(span, m.confidence === "low");
      middle.parentNode.replaceChild(span, middle);
      span.appendChild(middle);
      done.add(middle);
    });
    done.add(node);
  }

  function annotate(nodes) {
    var batches = [];
    var batch = { nodes: [], starts: [], text: "" };
    nodes.forEach(function (node) {
      if (batch.text.length + node.nodeValue.length > BATCH && batch.nodes.length) {
        batches.push(batch);
        batch = { nodes: [], starts: [], text: "" };
      }
      batch.starts.push(batch.text.length);
      batch.nodes.push(node);
      batch.text += node.nodeValue + "\n";
    });
    if (batch.nodes.length) batches.push(batch);
    return batches.reduce(function (chain, b) {
      return chain.then(function () {
        return ask(b.text).then(function (reply) {
          server = reply.server;
          apply(b, reply.matches);
        });
      });
    }, Promise.resolve());
  }

  function apply(batch, matches) {
    var map = unitOffsets(batch.text);
    var byNode = new Map();
    matches.forEach(function (m) {
      entries[m.slug] = m;
      var start = map ? map[m.start] : m.start;
      var end = map ? map[m.end] : m.end;
      var i = last(batch.starts, start);
      var node = batch.nodes[i];
      var from = batch.starts[i];
      if (end - from > node.nodeValue.length || node.nodeValue !== batch.text.slice(from, from + node.nodeValue.length)) {
        return; // across two nodes, or the page changed the text meanwhile
      }
      if (!byNode.has(node)) byNode.set(node, []);
      byNode.get(node).push({ start: start - from, end: end - from, slug: m.slug, confidence: m.confidence });
    });
    quietly(function () {
      byNode.forEach(function (found, node) {
        if (node.parentNode) wrap(node, found);
      });
      batch.nodes.forEach(function (node) {
        done.add(node);
      });
    });
  }

  function last(starts, offset) {
    var lo = 0;
    var hi = starts.length - 1;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  // Our own changes are not new content: the observer is paused while we make them.
  function quietly(change) {
    if (observer) observer.disconnect();
    change();
    if (observer) observer.observe(document.body, { childList: true, subtree: true, characterData: true });
  }

  function watch() {
    observer = new MutationObserver(function (records) {
      records.forEach(function (r) {
        if (r.type === "characterData") {
          done.delete(r.target);
          pending.push(r.target);
        } else {
          r.addedNodes.forEach(function (n) {
            pending.push(n);
          });
        }
      });
      clearTimeout(timer);
      timer = setTimeout(function () {
        var roots = pending.filter(function (n) {
          return n.isConnected && n !== host;
        });
        pending = [];
        var nodes = [];
        roots.forEach(function (root) {
          textNodes(root).forEach(function (n) {
            if (nodes.indexOf(n) < 0) nodes.push(n);
          });
        });
        if (nodes.length) annotate(nodes).catch(report);
      }, 300);
    });
    observer.observe(document.body, { childList: true, subtree: true, characterData: true });
  }

  // The card: one element in a shadow root, so the page's styles do not reach it.
  var host = document.createElement("div");
  host.setAttribute("data-glossary-card", "");
  host.style.setProperty("position", "fixed", "important");
  host.style.setProperty("top", "0");
  host.style.setProperty("left", "0");
  host.style.setProperty("width", "0");
  host.style.setProperty("height", "0");
  host.style.setProperty("z-index", "2147483647", "important");
  var shadow = host.attachShadow({ mode: "open" });
  var card = document.createElement("div");
  card.setAttribute("role", "tooltip");
  card.id = "glossary-card";
  Object.assign(card.style, {
    position: "fixed",
    display: "none",
    maxWidth: "22rem",
    boxSizing: "border-box",
    padding: "0.6rem 0.8rem",
    background: "#fff",
    color: "#1a1a1a",
    border: "1px solid #767676",
    borderRadius: "6px",
    boxShadow: "0 4px 16px rgba(0,0,0,0.2)",
    font: "15px/1.45 system-ui, sans-serif",
    textAlign: "left",
  });
  shadow.appendChild(card);
  var shownFor = null;
  var hideTimer = null;

  function line(text, css, lang) {
    var el = document.createElement("div");
    el.textContent = text;
    Object.assign(el.style, css || {});
    if (lang) el.lang = lang;
    card.appendChild(el);
    return el;
  }

  function show(span) {
    clearTimeout(hideTimer);
    var m = entries[span.getAttribute(MARK)];
    if (!m || shownFor === span) return;
    shownFor = span;
    card.textContent = "";
    line(m.simplified + (m.traditional && m.traditional !== m.simplified ? " · " + m.traditional : ""), { fontSize: "18px" }, "zh");
    line(m.pinyin, { color: "#4a4a4a" }, "zh-Latn-pinyin");
    if (m.gloss) line(m.gloss, { fontWeight: "600" }, m.lang || "en");
    if (span.getAttribute("data-glossary-confidence") === "low") {
      line("possible match — check context", { color: "#6b4e00", fontStyle: "italic" });
    }
    var link = document.createElement("a");
    link.href = server + "/terms/" + encodeURIComponent(m.slug);
    link.target = "_blank";
    link.rel = "noopener noreferrer";
    link.textContent = "Open the glossary entry";
    Object.assign(link.style, { color: "#0b57d0", display: "inline-block", minHeight: "24px", marginTop: "0.3rem" });
    card.appendChild(link);
    card.style.display = "block";
    place(span);
  }

  function place(span) {
    var r = span.getBoundingClientRect();
    var w = card.offsetWidth;
    var h = card.offsetHeight;
    var vw = document.documentElement.clientWidth;
    var vh = document.documentElement.clientHeight;
    var left = Math.max(4, Math.min(r.left, vw - w - 4));
    var top = r.bottom + 6 + h <= vh ? r.bottom + 6 : Math.max(4, r.top - h - 6);
    card.style.left = left + "px";
    card.style.top = top + "px";
  }

  function hide() {
    card.style.display = "none";
    shownFor = null;
  }

  function later() {
    clearTimeout(hideTimer);
    hideTimer = setTimeout(hide, 250);
  }

  function termOf(target) {
    return target && target.closest ? target.closest("[" + MARK + "]") : null;
  }

  document.addEventListener("mouseover", function (e) {
    var span = termOf(e.target);
    if (span) show(span);
  }, true);
  document.addEventListener("mouseout", function (e) {
    if (termOf(e.target)) later();
  }, true);
  document.addEventListener("focusin", function (e) {
    var span = termOf(e.target);
    if (span) show(span);
  }, true);
  document.addEventListener("focusout", function (e) {
    if (termOf(e.target)) later();
  }, true);
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape") hide();
  }, true);
  card.addEventListener("mouseenter", function () {
    clearTimeout(hideTimer);
  });
  card.addEventListener("mouseleave", later);
  window.addEventListener("scroll", hide, { passive: true });

  function report(error) {
    console.warn("Glossary annotator: " + ((error && error.message) || error));
  }

  function run() {
    return annotate(textNodes(document.body)).catch(report);
  }

  document.documentElement.appendChild(host);
  window.__glossaryAnnotator = { run: run };
  run().then(watch);
})();
