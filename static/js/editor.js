// Term editor, progressively enhanced: a live preview of the forms and pinyin saving would
// derive (GET /edit/preview), shown as placeholders the editor can override, and "Add another"
// for repeated rows. Without JavaScript, "Update preview" re-renders the form on the server and
// every section already has one blank row.
(function () {
  "use strict";

  var form = document.getElementById("term-form");
  if (!form) return;
  document.documentElement.classList.add("js");

  var previewUrl = form.getAttribute("data-preview");
  var slug = form.getAttribute("data-slug");
  var simplified = document.getElementById("f-simplified");
  var traditional = document.getElementById("f-traditional");
  var pinyin = document.getElementById("f-pinyin");
  var kind = document.getElementById("f-kind");
  var slugInput = document.getElementById("f-slug");
  var list = document.getElementById("derived-list");
  var clashes = document.getElementById("derived-clashes");
  var termUrl = form.getAttribute("data-term-url");
  var labels = { "zh-TW": "Taiwan", "zh-HK": "Hong Kong", "zh-Hant": "Traditional", "zh-Hans": "Simplified" };
  var langs = { "zh-TW": "zh-Hant-TW", "zh-HK": "zh-Hant-HK", "zh-Hant": "zh-Hant", "zh-Hans": "zh-Hans" };

  var el = window.glossaryDom.el;

  function entry(label, value, lang, code) {
    var div = el("div");
    div.appendChild(el("dt", null, label));
    var dd = el("dd", null, code ? null : value, lang);
    if (code) dd.appendChild(el("code", null, value));
    div.appendChild(dd);
    return div;
  }

  function show(body) {
    list.textContent = "";
    list.appendChild(entry("Traditional", body.traditional, "zh-Hant"));
    body.forms.forEach(function (f) {
      list.appendChild(entry(labels[f.tag] || f.tag, f.text, langs[f.tag]));
    });
    list.appendChild(entry("Pinyin", body.pinyin, "zh-Latn-pinyin"));
    if (slugInput) {
      list.appendChild(entry(pinyin.value.trim() ? "Slug, from your pinyin" : "Slug", body.slug + (body.slug_taken ? " (taken: a number will be added)" : ""), null, true));
      slugInput.placeholder = body.slug;
    }
    traditional.placeholder = body.traditional;
    pinyin.placeholder = body.pinyin;
    clashes.textContent = "";
    body.clashes.forEach(function (c) {
      var li = el("li", "warning");
      li.appendChild(el("span", null, c.text, "zh"));
      li.appendChild(document.createTextNode(" is already a form of "));
      var a = el("a", null, c.slug);
      a.href = termUrl.replace("SLUG", encodeURIComponent(c.slug));
      li.appendChild(a);
      li.appendChild(document.createTextNode("; saving will fail."));
      clashes.appendChild(li);
    });
  }

  var timer = null;
  var controller = null;
  function refresh() {
    var value = simplified.value.trim();
    if (!value) {
      list.textContent = "";
      list.appendChild(entry("Nothing yet", "Type the simplified form."));
      clashes.textContent = "";
      return;
    }
    if (controller) controller.abort();
    controller = new AbortController();
    var url = previewUrl + "?simplified=" + encodeURIComponent(value) + (slug ? "&slug=" + encodeURIComponent(slug) : "");
    if (pinyin.value.trim()) url += "&pinyin=" + encodeURIComponent(pinyin.value.trim()); // a new term's slug comes from it
    if (kind) url += "&kind=" + encodeURIComponent(kind.value); // names of bodies and documents get no Taiwan phrasing
    fetch(url, { signal: controller.signal, headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (body) {
        if (body && simplified.value.trim() === value) show(body);
      })
      .catch(function () {
        /* aborted: a newer request is on its way */
      });
  }
  function refreshSoon() {
    clearTimeout(timer);
    timer = setTimeout(refresh, 250);
  }
  simplified.addEventListener("input", refreshSoon);
  pinyin.addEventListener("input", refreshSoon);
  if (kind) kind.addEventListener("change", refreshSoon);

  // "Add another": clone the section's <template>, numbering it after the highest row so far.
  form.querySelectorAll("button.add-row").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      var section = button.getAttribute("data-add");
      var rows = document.querySelector("#section-" + section + " .rows");
      var next = 0;
      rows.querySelectorAll("[data-row]").forEach(function (row) {
        next = Math.max(next, parseInt(row.getAttribute("data-row"), 10) + 1);
      });
      var html = document.getElementById("tpl-" + section).innerHTML
        .replace(/__i__/g, String(next))
        .replace(/__n__/g, String(next + 1));
      var holder = document.createElement("div");
      holder.innerHTML = html; // our own template, no user text in it
      var row = holder.firstElementChild;
      rows.appendChild(row);
      var first = row.querySelector("input, textarea, select");
      if (first) first.focus();
    });
  });

  var summary = document.getElementById("error-summary");
  if (summary) summary.focus();
})();
