// Term editor, progressively enhanced: a live preview of the forms and pinyin saving would
// derive (GET /edit/preview), shown as placeholders the editor can override, "Add another"
// for repeated rows, each field checked as it is left (its message in the same span beside it
// that the server fills), and tags as removable tokens. Without JavaScript, "Update preview"
// re-renders the form on the server, every section already has one blank row, tags are typed
// separated by commas, and the server puts each error beside its field.
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

  // Field checks as the editor types: the HTML constraints (required, pattern) with the server's
  // own wording (data-error), and a row's main field, which a row with anything else in it needs.
  var MAIN = { translations: "text", definitions: "text", excerpts: "text", related: "slug", forms: "text" };
  var ROW_NAME = /^(\w+)-(\d+)-(\w+)$/;

  function rowDefaults(section) {
    var values = {};
    var tpl = document.getElementById("tpl-" + section);
    if (!tpl) return values;
    tpl.content.querySelectorAll("[name]").forEach(function (control) {
      var m = ROW_NAME.exec(control.name.replace("__i__", "0"));
      if (m) values[m[3]] = control.value;
    });
    return values;
  }
  var defaults = {};
  Object.keys(MAIN).forEach(function (section) {
    defaults[section] = rowDefaults(section);
  });

  function rowMessage(control) {
    var m = ROW_NAME.exec(control.name || "");
    if (!m || !MAIN[m[1]] || m[3] !== MAIN[m[1]] || control.value.trim()) return "";
    var row = control.closest("fieldset.row");
    var removed = row.querySelector('input[type="checkbox"][name$="-remove"]');
    if (removed && removed.checked) return "";
    var filled = Array.prototype.some.call(row.querySelectorAll("[name]"), function (other) {
      var name = ROW_NAME.exec(other.name);
      if (!name || other === control || other.type === "checkbox") return false;
      var value = other.value.trim();
      return value !== "" && value !== defaults[m[1]][name[3]];
    });
    return filled ? "Required (or tick Remove)." : "";
  }

  function messageFor(control) {
    var v = control.validity;
    if (v && !v.valid) {
      if (v.valueMissing) return "Required.";
      if (v.patternMismatch) return control.getAttribute("data-error") || control.validationMessage;
      return control.validationMessage;
    }
    return rowMessage(control);
  }

  function showError(control, message, name) {
    var span = document.getElementById("err-" + (name || control.name));
    if (!span) return;
    span.textContent = message;
    var field = control.closest(".field");
    if (message) control.setAttribute("aria-invalid", "true");
    else control.removeAttribute("aria-invalid");
    if (field) field.classList.toggle("has-error", !!message);
  }

  function check(control) {
    if (!control.name || control.type === "hidden" || control.type === "checkbox" || control.type === "radio") return true;
    var message = messageFor(control);
    showError(control, message);
    return !message;
  }

  form.noValidate = true; // the checks below say what is wrong beside the field, not in a bubble
  form.addEventListener("focusout", function (event) {
    var control = event.target;
    if (!control.matches("input, textarea, select")) return;
    check(control);
    var m = ROW_NAME.exec(control.name || "");
    if (m && MAIN[m[1]] && m[3] !== MAIN[m[1]]) {
      // leaving a field of a row: the row now needs its main field
      var main = form.querySelector('[name="' + m[1] + "-" + m[2] + "-" + MAIN[m[1]] + '"]');
      if (main) check(main);
    }
  });
  form.addEventListener("input", function (event) {
    var control = event.target;
    if (control.getAttribute("aria-invalid") === "true") check(control); // clear it once it is right
  });

  // Tags as tokens: the text box becomes a list of removable tokens and an entry box; a tag is
  // taken on a comma, Enter or leaving the box, lower-cased, with spaces turned into hyphens
  // (shown in the token and said aloud), and refused with the reason if it is still not a tag.
  // In a function of its own: its names must not shadow the preview's (entry, list …).
  function tokenizeTags(tagsValue) {
    var pattern = new RegExp(tagsValue.getAttribute("data-pattern"));
    var maxLength = parseInt(tagsValue.getAttribute("data-max"), 10) || 64;
    var tagHelp = tagsValue.getAttribute("data-error");
    var tags = [];
    var list = el("ul", "tokens");
    list.setAttribute("aria-label", "Tags chosen");
    var entry = el("input", "token-entry");
    entry.type = "text";
    entry.autocomplete = "off";
    entry.setAttribute("aria-describedby", tagsValue.getAttribute("aria-describedby"));
    var note = el("p", "note");
    note.id = "tags-note";
    note.setAttribute("role", "status");

    var sync = function () {
      tagsValue.value = tags.join(", ");
    };
    var draw = function () {
      list.textContent = "";
      tags.forEach(function (tag, i) {
        var item = el("li", "token");
        item.appendChild(el("span", null, tag));
        var remove = el("button", "token-remove", "×");
        remove.type = "button";
        remove.setAttribute("aria-label", "Remove tag " + tag);
        remove.addEventListener("click", function () {
          tags.splice(i, 1);
          sync();
          draw();
          note.textContent = "Removed " + tag + ".";
          entry.focus();
        });
        item.appendChild(remove);
        list.appendChild(item);
      });
    };
    // Take what is typed; returns false (and says why beside the box) if a part is not a tag.
    var takeTags = function () {
      var refused = [];
      var renamed = [];
      entry.value.split(",").forEach(function (part) {
        var typed = part.trim();
        if (!typed) return;
        var slug = typed.toLowerCase().replace(/\s+/g, "-");
        if (!pattern.test(slug) || slug.length > maxLength) {
          refused.push(typed);
          return;
        }
        if (slug !== typed.toLowerCase()) renamed.push("“" + typed + "” becomes " + slug);
        if (tags.indexOf(slug) < 0) tags.push(slug);
      });
      sync();
      draw();
      entry.value = refused.join(", ");
      if (renamed.length) note.textContent = renamed.join("; ") + ": a tag cannot contain spaces.";
      var message = refused.length ? refused.map(function (t) { return "“" + t + "”"; }).join(", ") +
        (refused.length === 1 ? " is not a tag. " : " are not tags. ") + tagHelp : "";
      showError(entry, message, "tags");
      return !message;
    };

    // the label and the field's id move to the entry box; the original input carries the value
    entry.value = tagsValue.value;
    tagsValue.type = "hidden";
    tagsValue.id = "f-tags-value";
    entry.id = "f-tags";
    if (tagsValue.getAttribute("aria-invalid")) entry.setAttribute("aria-invalid", "true");
    tagsValue.removeAttribute("aria-invalid");
    tagsValue.parentNode.insertBefore(list, tagsValue);
    tagsValue.parentNode.insertBefore(entry, tagsValue);
    tagsValue.parentNode.insertBefore(note, tagsValue.nextSibling);
    var serverError = document.getElementById("err-tags").textContent;
    takeTags();
    if (serverError && !entry.value) showError(entry, serverError, "tags");
    note.textContent = "";

    entry.addEventListener("keydown", function (event) {
      if (event.key === "Enter" || event.key === ",") {
        event.preventDefault();
        takeTags();
      } else if (event.key === "Backspace" && !entry.value && tags.length) {
        note.textContent = "Removed " + tags.pop() + ".";
        sync();
        draw();
      }
    });
    entry.addEventListener("blur", takeTags);
    entry.addEventListener("input", function () {
      if (entry.value.indexOf(",") >= 0) takeTags(); // pasted "a, b"
    });
    return takeTags;
  }
  var tagsValue = form.querySelector("[data-tags] #f-tags");
  var takeTags = tagsValue
    ? tokenizeTags(tagsValue)
    : function () {
        return true;
      };

  form.addEventListener("submit", function (event) {
    if (event.submitter && event.submitter.value === "preview") return;
    var first = null;
    if (!takeTags()) first = document.getElementById("f-tags");
    form.querySelectorAll("input, textarea, select").forEach(function (control) {
      if (control.id === "f-tags" || control.closest("template")) return;
      if (!check(control) && !first) first = control;
    });
    if (first) {
      event.preventDefault();
      first.focus();
    }
  });

  var summary = document.getElementById("error-summary");
  if (summary) summary.focus();
})();
