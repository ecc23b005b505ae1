// Search as you type: turns each input[data-suggest] into an ARIA combobox over /api/v1/search.
// Without JavaScript the input is a plain search form; with it, the form still submits to the
// full results page when no suggestion is chosen.
(function () {
  "use strict";

  var DELAY = 120;
  var LIMIT = 8;
  var counter = 0;

  var el = window.glossaryDom.el;

  function highlighted(value, start, end) {
    var span = el("span", "matched-value");
    span.appendChild(document.createTextNode(value.slice(0, start)));
    span.appendChild(el("mark", null, value.slice(start, end)));
    span.appendChild(document.createTextNode(value.slice(end)));
    return span;
  }

  function setup(input) {
    var api = input.getAttribute("data-suggest");
    var termUrl = input.getAttribute("data-term-url");
    var form = input.form;
    var id = "suggest-" + (++counter);
    var list = el("ul", "suggestions");
    list.id = id;
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "Suggestions");
    list.hidden = true;
    input.parentNode.appendChild(list);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-controls", id);
    input.setAttribute("aria-expanded", "false");

    var timer = null;
    var controller = null;
    var items = [];
    var active = -1;
    var lastQuery = "";

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function select(index) {
      var options = list.querySelectorAll("[role=option]");
      if (!options.length) return;
      active = (index + options.length) % options.length;
      options.forEach(function (option, i) {
        option.setAttribute("aria-selected", i === active ? "true" : "false");
      });
      input.setAttribute("aria-activedescendant", options[active].id);
      options[active].scrollIntoView({ block: "nearest" });
    }

    function go(index) {
      var href = items[index];
      if (href) window.location.assign(href);
    }

    function render(query, hits) {
      list.textContent = "";
      items = [];
      hits.forEach(function (hit, i) {
        var li = el("li");
        li.id = id + "-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        li.appendChild(el("span", "hanzi", hit.simplified, "zh-Hans"));
        if (hit.traditional && hit.traditional !== hit.simplified) {
          li.appendChild(el("span", "hanzi trad", hit.traditional, "zh-Hant"));
        }
        li.appendChild(el("span", "pinyin", hit.pinyin, "zh-Latn-pinyin"));
        if (hit.gloss) li.appendChild(el("span", "gloss", hit.gloss));
        var m = hit.matched;
        if (m && m.field === "translation" && m.value !== hit.gloss) {
          var small = el("small", "help");
          small.appendChild(highlighted(m.value, m.start, m.end));
          li.appendChild(small);
        }
        items.push(termUrl.replace("SLUG", encodeURIComponent(hit.slug)));
        li.addEventListener("mousedown", function (event) {
          event.preventDefault(); // keep focus in the input until we navigate
          go(i);
        });
        list.appendChild(li);
      });
      var all = el("li", "suggest-all", hits.length ? "All results for “" + query + "”" : "No quick matches: search for “" + query + "”");
      all.id = id + "-all";
      all.setAttribute("role", "option");
      all.setAttribute("aria-selected", "false");
      items.push(form.action + "?q=" + encodeURIComponent(query));
      all.addEventListener("mousedown", function (event) {
        event.preventDefault();
        form.submit();
      });
      list.appendChild(all);
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      active = -1;
    }

    function fetchHits() {
      var query = input.value.trim();
      if (query === lastQuery && !list.hidden) return;
      lastQuery = query;
      if (!query) {
        close();
        return;
      }
      if (controller) controller.abort();
      controller = new AbortController();
      var url = api + "?limit=" + LIMIT + "&q=" + encodeURIComponent(query);
      fetch(url, { signal: controller.signal, headers: { Accept: "application/json" } })
        .then(function (response) {
          return response.ok ? response.json() : { items: [] };
        })
        .then(function (body) {
          if (input.value.trim() === query && document.activeElement === input) render(query, body.items || []);
        })
        .catch(function () {
          /* aborted or offline: the form still works */
        });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(fetchHits, DELAY);
    });
    input.addEventListener("keydown", function (event) {
      if (list.hidden) {
        if (event.key === "ArrowDown" && input.value.trim()) {
          lastQuery = "";
          fetchHits();
        }
        return;
      }
      if (event.key === "ArrowDown") {
        event.preventDefault();
        select(active + 1);
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        select(active - 1);
      } else if (event.key === "Enter" && active >= 0) {
        event.preventDefault();
        go(active);
      } else if (event.key === "Escape") {
        event.preventDefault();
        close();
      }
    });
    input.addEventListener("blur", function () {
      setTimeout(close, 100);
    });
  }

  document.querySelectorAll("input[data-suggest]").forEach(setup);
})();
