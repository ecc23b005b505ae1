// Annotate page, progressively enhanced: live character count, annotation without a page load
// (POST /api/v1/annotate, format html), instant display toggles, a hover/focus card and
// jump-to-occurrence. The annotated text arrives as one HTML string and every interaction is
// handled by a listener on its container (event delegation), so a text with thousands of
// terms costs no more listeners than one with none.
(function () {
  "use strict";

  var form = document.getElementById("annotate-form");
  if (!form) return;
  var textarea = document.getElementById("annotate-text");
  var counter = document.getElementById("annotate-chars");
  var countLine = document.getElementById("annotate-count");
  var status = document.getElementById("annotate-status");
  var result = document.getElementById("annotate-result");
  var annotated = document.getElementById("annotated");
  var foundList = document.getElementById("found-list");
  var foundCount = document.getElementById("found-count");
  var card = document.getElementById("term-card");
  var ruby = document.getElementById("opt-ruby");
  var low = document.getElementById("opt-low");
  var submit = form.querySelector("button[value=annotate]");
  var max = parseInt(form.getAttribute("data-max"), 10);
  var api = form.getAttribute("data-api");
  var termUrl = form.getAttribute("data-term-url");
  var numberFormat = new Intl.NumberFormat("en");
  var surrogatePairs = /[\uD800-\uDBFF][\uDC00-\uDFFF]/g;

  var el = window.glossaryDom.el;

  // Characters as the server counts them (code points, not UTF-16 units).
  function length(text) {
    var pairs = text.match(surrogatePairs);
    return text.length - (pairs ? pairs.length : 0);
  }

  var countQueued = false;
  function updateCount() {
    countQueued = false;
    var n = length(textarea.value);
    counter.textContent = numberFormat.format(n);
    var over = n > max;
    countLine.classList.toggle("over", over);
    textarea.setAttribute("aria-invalid", over ? "true" : "false");
    submit.disabled = over;
    if (over) status.textContent = "The text is longer than the limit of " + numberFormat.format(max) + " characters.";
    else if (status.textContent.indexOf("longer than the limit") >= 0) status.textContent = "";
  }
  textarea.addEventListener("input", function () {
    if (!countQueued) {
      countQueued = true;
      window.requestAnimationFrame(updateCount);
    }
  });

  // Display toggles apply at once; the same checkboxes are honoured by the server without JS.
  function applyToggles() {
    annotated.classList.toggle("show-ruby", ruby.checked);
    annotated.classList.toggle("mark-low", low.checked);
  }
  ruby.addEventListener("change", applyToggles);
  low.addEventListener("change", applyToggles);

  function renderFound(matches, terms) {
    var first = {};
    var lowCounts = {};
    for (var i = 0; i < matches.length; i++) {
      var m = matches[i];
      if (m.nested) continue;
      if (!first[m.slug]) first[m.slug] = m;
      if (m.confidence === "low") lowCounts[m.slug] = (lowCounts[m.slug] || 0) + 1;
    }
    var fragment = document.createDocumentFragment();
    terms.forEach(function (t) {
      var m = first[t.slug];
      if (!m) return;
      var li = el("li");
      li.setAttribute("data-slug", t.slug);
      var link = el("a");
      link.href = termUrl.replace("SLUG", encodeURIComponent(t.slug));
      link.appendChild(el("span", "hanzi", m.simplified, "zh-Hans"));
      li.appendChild(link);
      li.appendChild(el("span", "pinyin", m.pinyin, "zh-Latn-pinyin"));
      if (m.gloss) li.appendChild(el("span", "gloss", m.gloss));
      var jump = el("button", "jump", "×" + t.count);
      jump.type = "button";
      jump.setAttribute("data-slug", t.slug);
      jump.setAttribute("aria-label", "Jump to the " + t.count + " occurrence" + (t.count === 1 ? "" : "s") + " of " + m.simplified);
      li.appendChild(jump);
      if (lowCounts[t.slug]) li.appendChild(el("span", "low-note", lowCounts[t.slug] + " low-confidence"));
      fragment.appendChild(li);
    });
    foundList.textContent = "";
    foundList.appendChild(fragment);
    positions = {};
    foundCount.textContent = String(terms.length);
    var none = document.getElementById("found-none");
    if (none) none.remove();
    if (!terms.length) {
      none = el("p", null, "No glossary terms found in this text.");
      none.id = "found-none";
      foundList.after(none);
    }
  }

  form.addEventListener("submit", function (event) {
    var submitter = event.submitter;
    if (submitter && submitter.value === "download") return; // the server sends the file
    if (!window.fetch) return;
    event.preventDefault();
    var text = textarea.value;
    if (!text.trim()) {
      status.textContent = "Paste or type a text to annotate first.";
      textarea.focus();
      return;
    }
    status.textContent = "Annotating " + numberFormat.format(length(text)) + " characters…";
    submit.disabled = true;
    fetch(api, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify({ text: text, format: "html", ruby: true }),
    })
      .then(function (response) {
        return response.json().then(function (body) {
          if (!response.ok) throw new Error(body.detail || "The text could not be annotated (" + response.status + ").");
          return body;
        });
      })
      .then(function (body) {
        hideCard();
        annotated.innerHTML = body.html; // escaped and built by the server
        applyToggles();
        renderFound(body.matches, body.terms);
        result.hidden = false;
        var n = body.terms.length;
        status.textContent = "Found " + n + " glossary term" + (n === 1 ? "" : "s") + " (" + body.matches.length + " occurrences).";
        var error = document.getElementById("annotate-error");
        if (error) error.remove();
      })
      .catch(function (error) {
        status.textContent = error.message || "The text could not be annotated. Try again.";
      })
      .finally(function () {
        updateCount();
      });
  });

  // The term card: one element, filled from the link's data attributes on hover or focus.
  var shownFor = null;
  var hideTimer = null;

  function showCard(link) {
    clearTimeout(hideTimer);
    if (shownFor === link) return;
    if (shownFor) shownFor.removeAttribute("aria-describedby");
    shownFor = link;
    var d = link.dataset;
    card.textContent = "";
    var heading = el("p", "card-hanzi");
    heading.appendChild(el("span", null, d.simplified, "zh-Hans"));
    if (d.traditional && d.traditional !== d.simplified) heading.appendChild(el("span", "trad", d.traditional, "zh-Hant"));
    card.appendChild(heading);
    card.appendChild(el("p", "pinyin", d.pinyin, "zh-Latn-pinyin"));
    if (d.gloss) card.appendChild(el("p", "gloss", d.gloss, d.glossLang || "en"));
    card.appendChild(el("p", "card-first-use", d.firstUse ? "First use: " + d.firstUse : "First use: not documented"));
    if (d.confidence === "low") card.appendChild(el("p", "card-low", "Low-confidence match: check the context."));
    card.appendChild(el("p", "card-more", "Select to open the entry."));
    card.hidden = false;
    link.setAttribute("aria-describedby", "term-card");
    place(link);
  }

  function place(link) {
    var rect = link.getBoundingClientRect();
    var cardRect = card.getBoundingClientRect();
    var top = window.scrollY + rect.bottom + 6;
    if (rect.bottom + cardRect.height + 12 > window.innerHeight && rect.top > cardRect.height + 12) {
      top = window.scrollY + rect.top - cardRect.height - 6;
    }
    var left = window.scrollX + rect.left;
    var maxLeft = window.scrollX + document.documentElement.clientWidth - cardRect.width - 8;
    card.style.top = top + "px"; // CSSOM writes are not style attributes in the CSP sense
    card.style.left = Math.max(window.scrollX + 8, Math.min(left, maxLeft)) + "px";
  }

  function hideCard() {
    if (shownFor) shownFor.removeAttribute("aria-describedby");
    shownFor = null;
    card.hidden = true;
  }

  function termLink(target) {
    return target && target.closest ? target.closest("a.term") : null;
  }

  annotated.addEventListener("mouseover", function (event) {
    var link = termLink(event.target);
    if (link) showCard(link);
  });
  annotated.addEventListener("mouseout", function (event) {
    var link = termLink(event.target);
    if (link && !link.contains(event.relatedTarget)) hideTimer = setTimeout(hideCard, 150);
  });
  annotated.addEventListener("focusin", function (event) {
    var link = termLink(event.target);
    if (link) showCard(link);
  });
  annotated.addEventListener("focusout", function () {
    hideTimer = setTimeout(hideCard, 150);
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && !card.hidden) hideCard();
  });
  window.addEventListener("resize", function () {
    if (shownFor) place(shownFor);
  });

  // Jump to occurrences: each click moves to the next one of that term.
  var positions = {};
  foundList.addEventListener("click", function (event) {
    var button = event.target.closest("button.jump");
    if (!button) return;
    var slug = button.getAttribute("data-slug");
    var links = annotated.querySelectorAll('a.term[data-slug="' + CSS.escape(slug) + '"]');
    if (!links.length) return;
    var index = positions[slug] === undefined ? 0 : (positions[slug] + 1) % links.length;
    positions[slug] = index;
    var link = links[index];
    link.scrollIntoView({ block: "center" });
    link.focus({ preventScroll: true });
    link.classList.add("flash");
    setTimeout(function () {
      link.classList.remove("flash");
    }, 1200);
    status.textContent = "Occurrence " + (index + 1) + " of " + links.length + ".";
  });

  updateCount();
})();
