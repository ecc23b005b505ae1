// "Copy citation" buttons on the term page: shown only where JavaScript can copy; without it the
// citation sits in a read-only text box to select by hand.
(function () {
  "use strict";

  var status = document.querySelector(".copy-status");

  function copied(message) {
    if (status) status.textContent = message;
  }

  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    var source = document.getElementById(button.getAttribute("data-copy"));
    if (!source) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      var text = source.value;
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text).then(
          function () {
            copied("Copied to the clipboard.");
          },
          function () {
            source.select();
            copied("Selected: press Ctrl+C (⌘C) to copy.");
          }
        );
      } else {
        source.focus();
        source.select();
        var ok = false;
        try {
          ok = document.execCommand("copy");
        } catch (e) {
          ok = false;
        }
        copied(ok ? "Copied to the clipboard." : "Selected: press Ctrl+C (⌘C) to copy.");
      }
    });
  });
})();
