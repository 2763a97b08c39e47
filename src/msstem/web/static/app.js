/* Progressive enhancement only: every page works without this file. No inline script. */
(function () {
  "use strict";

  function onReady(fn) {
    if (document.readyState !== "loading") { fn(); } else { document.addEventListener("DOMContentLoaded", fn); }
  }

  onReady(function () {
    // Move keyboard focus to the error summary after a form comes back with errors.
    var summary = document.getElementById("error-summary");
    if (summary) { summary.focus(); }

    // After an offer check, move focus (and the view) to the verdict at the top of the results.
    var results = document.querySelector("section.offer-results");
    if (results && !summary) { results.focus(); results.scrollIntoView(); }

    // "None of these" and the HCT-CI condition boxes exclude each other.
    var none = document.getElementById("hctci_none");
    var items = document.querySelectorAll('input[name="hctci_items"]');
    if (none) {
      none.addEventListener("change", function () {
        if (none.checked) { items.forEach(function (b) { b.checked = false; }); }
      });
      items.forEach(function (b) {
        b.addEventListener("change", function () { if (b.checked) { none.checked = false; } });
      });
    }

    // Live character count for the offer text, with the server's limit.
    var text = document.getElementById("offer-text");
    var counter = document.getElementById("offer-counter");
    if (text && counter) {
      var limit = parseInt(text.getAttribute("data-limit"), 10);
      var update = function () {
        var n = text.value.length;
        counter.textContent = n.toLocaleString() + " of " + limit.toLocaleString() + " characters";
        if (n > limit) {
          counter.classList.add("over");
          counter.textContent += ": too long, please shorten it to the part that describes the offer";
        } else {
          counter.classList.remove("over");
        }
      };
      text.addEventListener("input", update);
      update();
    }

    // A link to a note, a glossary word or a topic opens the closed section it is in, on the
    // same page (nothing typed into a form is lost).
    var openTarget = function () {
      var id = decodeURIComponent(window.location.hash.slice(1));
      var el = id && document.getElementById(id);
      while (el) {
        if (el.tagName === "DETAILS") { el.open = true; }
        el = el.parentElement;
      }
    };
    window.addEventListener("hashchange", openTarget);
    openTarget();

    // Printing shows the closed source lists.
    window.addEventListener("beforeprint", function () {
      document.querySelectorAll("details.print-open").forEach(function (d) { d.open = true; });
    });

    // Print buttons are hidden without JavaScript (the browser's own Print works too).
    document.querySelectorAll("[data-print]").forEach(function (btn) {
      btn.hidden = false;
      btn.addEventListener("click", function () { window.print(); });
    });
  });
})();
