// Annotate page, progressively enhanced: live character count, annotation without a page load
// (the form's own POST, fetched, with its result swapped into this page), instant display
// toggles, a hover/focus card and jump-to-occurrence. Every interaction is handled by a listener
// on the result's container (event delegation), so a text with thousands of terms costs no more
// listeners than one with none. Each occurrence carries only its slug; the card reads the term's
// data from its entry in the list of terms found.
(function () {
  "use strict";

  var form = document.getElementById("annotate-form");
  if (!form) return;
  var textarea = document.getElementById("annotate-text");
  var counter = document.getElementById("annotate-chars");
  var countLine = document.getElementById("annotate-count");
  var status = document.getElementById("annotate-status");
  var result = document.getElementById("annotate-result");
  var card = document.getElementById("term-card");
  var ruby = document.getElementById("opt-ruby");
  var low = document.getElementById("opt-low");
  var submit = form.querySelector("button[value=annotate]");
  var max = parseInt(form.getAttribute("data-max"), 10);
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
  function annotated() {
    return document.getElementById("annotated");
  }
  function applyToggles() {
    annotated().classList.toggle("show-ruby", ruby.checked);
    document.getElementById("found-terms").classList.toggle("list-possible", low.checked);
  }
  // The pinyin toggle is remembered in this browser (localStorage, when the browser allows it).
  var PINYIN_KEY = "glossary.annotate.pinyin";
  function remembered() {
    try {
      return window.localStorage.getItem(PINYIN_KEY);
    } catch (e) {
      return null;
    }
  }
  if (remembered() !== null) {
    ruby.checked = remembered() === "on";
    applyToggles();
  }
  ruby.addEventListener("change", function () {
    try {
      window.localStorage.setItem(PINYIN_KEY, ruby.checked ? "on" : "off");
    } catch (e) {
      /* storage refused (private mode): the toggle still works for this page */
    }
    applyToggles();
  });
  low.addEventListener("change", applyToggles);

  // The page the server answers with, parsed; what it says went wrong if it is not a result.
  function parse(response) {
    return response.text().then(function (html) {
      var page = new DOMParser().parseFromString(html, "text/html");
      if (response.ok && page.getElementById("annotate-result")) return page;
      var reason = page.getElementById("annotate-error") || page.getElementById("error-detail");
      throw new Error(reason ? reason.textContent : "The text could not be annotated (" + response.status + ").");
    });
  }

  form.addEventListener("submit", function (event) {
    var submitter = event.submitter;
    if (submitter && submitter.value !== "annotate") return; // a file to download, or the shared page
    if (!window.fetch || !window.DOMParser) return;
    event.preventDefault();
    var text = textarea.value;
    var file = document.getElementById("annotate-file");
    var upload = file && file.files.length ? file.files[0] : null;
    if (upload) text = upload.name;
    else if (!text.trim()) {
      status.textContent = "Paste or type a text to annotate first.";
      textarea.focus();
      return;
    }
    status.textContent = upload ? "Reading and annotating " + upload.name + "…" : "Annotating " + numberFormat.format(length(text)) + " characters…";
    submit.disabled = true;
    // getAttribute: form.action is the button named "action"
    fetch(form.getAttribute("action"), { method: "POST", body: new FormData(form), credentials: "same-origin" })
      .then(parse)
      .then(function (page) {
        hideCard();
        var fresh = page.getElementById("annotate-result");
        result.textContent = "";
        while (fresh.firstChild) result.appendChild(fresh.firstChild); // escaped and built by the server
        applyToggles();
        positions = {};
        result.hidden = false;
        status.textContent = page.getElementById("annotate-status").textContent;
        if (upload) {
          // the file's text now stands in the box, so the downloads and a second annotate use it
          textarea.value = page.getElementById("annotate-text").value;
          file.value = "";
        }
        var error = document.getElementById("annotate-error");
        if (error) error.remove();
        // the result is below the form, often off-screen: take the reader (and focus) to it
        var title = document.getElementById("result-title");
        title.scrollIntoView({ block: "start" });
        title.focus({ preventScroll: true });
      })
      .catch(function (error) {
        status.textContent = error.message || "The text could not be annotated. Try again.";
      })
      .finally(function () {
        updateCount();
      });
  });

  // The term card: one element, filled from the term's entry in the list of terms found.
  var shownFor = null;
  var hideTimer = null;

  function entryFor(link) {
    var slug = link.getAttribute("data-slug");
    return document.querySelector('#found-list li[data-slug="' + CSS.escape(slug) + '"]');
  }

  function showCard(link) {
    clearTimeout(hideTimer);
    if (shownFor === link) return;
    var entry = entryFor(link);
    if (!entry) return;
    if (shownFor) shownFor.removeAttribute("aria-describedby");
    shownFor = link;
    var d = entry.dataset;
    card.textContent = "";
    var heading = el("p", "card-hanzi");
    heading.appendChild(el("span", null, d.simplified, "zh-Hans"));
    if (d.traditional && d.traditional !== d.simplified) heading.appendChild(el("span", "trad", d.traditional, "zh-Hant"));
    card.appendChild(heading);
    card.appendChild(el("p", "pinyin", d.pinyin, "zh-Latn-pinyin"));
    if (link.classList.contains("term-low")) card.appendChild(el("p", "card-low", "possible match — check context"));
    if (d.official) {
      var official = el("p", "card-official");
      official.appendChild(el("span", "card-label", "Official English: "));
      official.appendChild(el("span", null, d.official, "en"));
      if (d.officialFrom) official.appendChild(document.createTextNode(" (from " + d.officialFrom + ")"));
      card.appendChild(official);
    } else if (d.gloss) {
      card.appendChild(el("p", "gloss", d.gloss, d.glossLang || "en"));
    }
    if (d.definition) card.appendChild(el("p", "card-definition", d.definition, "en"));
    card.appendChild(el("p", "card-first-use", d.firstUse ? "First use: " + d.firstUse : "First use: not documented"));
    var more = el("p", "card-more");
    var open = el("a", null, "Open entry");
    open.href = link.href;
    more.appendChild(open);
    if (lastPointer === "touch") more.appendChild(document.createTextNode(" or tap the term again"));
    card.appendChild(more);
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
    tapped = null;
    card.hidden = true;
  }

  function termLink(target) {
    return target && target.closest ? target.closest("a.term") : null;
  }

  result.addEventListener("mouseover", function (event) {
    var link = termLink(event.target);
    if (link) showCard(link);
  });
  result.addEventListener("mouseout", function (event) {
    var link = termLink(event.target);
    if (link && !link.contains(event.relatedTarget)) hideTimer = setTimeout(hideCard, 150);
  });
  result.addEventListener("focusin", function (event) {
    var link = termLink(event.target);
    if (link) showCard(link);
  });
  result.addEventListener("focusout", function () {
    hideTimer = setTimeout(hideCard, 150);
  });
  document.addEventListener("keydown", function (event) {
    lastPointer = "keyboard";
    if (event.key === "Escape" && !card.hidden) hideCard();
  });
  // The card stays while the pointer or focus is on it (its "Open entry" link on a touch screen).
  card.addEventListener("mouseover", function () {
    clearTimeout(hideTimer);
  });
  card.addEventListener("focusin", function () {
    clearTimeout(hideTimer);
  });
  card.addEventListener("mouseout", function (event) {
    if (!card.contains(event.relatedTarget)) hideTimer = setTimeout(hideCard, 150);
  });

  // A touch screen has no hover: the first tap on a term shows its card, a second one (or the
  // card's link) opens the entry. pointerdown comes first in a tap, before the emulated mouseover
  // and the focus that show the card, so the card knows to offer its link.
  var lastPointer = "mouse";
  var tapped = null;
  document.addEventListener("pointerdown", function (event) {
    lastPointer = event.pointerType;
  });
  result.addEventListener("click", function (event) {
    var link = termLink(event.target);
    if (!link || lastPointer !== "touch" || tapped === link) return;
    event.preventDefault();
    showCard(link);
    tapped = link;
  });
  window.addEventListener("resize", function () {
    if (shownFor) place(shownFor);
  });

  // Jump to occurrences: each click moves to the next one of that term.
  var positions = {};
  result.addEventListener("click", function (event) {
    var button = event.target.closest("button.jump");
    if (!button) return;
    var slug = button.getAttribute("data-slug");
    var links = annotated().querySelectorAll('a.term[data-slug="' + CSS.escape(slug) + '"]');
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
    status.textContent = "Occurrence " + numberFormat.format(index + 1) + " of " + numberFormat.format(links.length) + ".";
  });

  updateCount();
})();
