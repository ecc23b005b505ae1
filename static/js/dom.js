// Small DOM helpers shared by the page scripts (loaded first, deferred, on every page).
(function () {
  "use strict";

  // An element with an optional class, text content and BCP 47 language tag.
  function el(tag, cls, text, lang) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text) node.textContent = text;
    if (lang) node.lang = lang;
    return node;
  }

  window.glossaryDom = { el: el };
})();
