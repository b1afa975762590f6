/*
 * A live character counter under every text area with a maximum length (issue 11).
 *
 * Progressive enhancement: the page already states the limit ("At most N characters"), the
 * text area has `maxlength`, and the server refuses a longer text. This only helps near the
 * limit: once four fifths of it are used, a counter appears under the text area ("Characters
 * left: 1 234"), and screen readers hear it through a polite live region after typing pauses,
 * so nobody is interrupted on every keystroke.
 *
 * The wording comes from `forms/field.html` (data-counter-left / data-counter-over on the
 * field), translated there. No inline script: the page loads this file with `defer`.
 */
(function () {
  "use strict";

  var SHOW_FROM = 0.8; // share of the limit used before the counter shows
  var QUIET_MS = 1000; // pause in typing before screen readers hear the count

  function grouped(number) {
    var lang = document.documentElement.lang || undefined;
    var text;
    try {
      text = new Intl.NumberFormat(lang).format(number);
    } catch (error) {
      text = String(number);
    }
    // As the server writes it: a narrow no-break space between the thousands.
    return text.replace(/[\u00a0 ]/g, "\u202f");
  }

  function enhance(field) {
    var area = field.querySelector("textarea[maxlength]");
    var limit = area ? parseInt(area.getAttribute("maxlength"), 10) : 0;
    if (!limit || field.hasAttribute("data-counter-ready")) {
      return;
    }
    field.setAttribute("data-counter-ready", "");

    // Seen: updated on every change, hidden from screen readers (they get `spoken`).
    var shown = document.createElement("p");
    shown.className = "ds-validation-message";
    shown.setAttribute("data-field", "counter");
    shown.setAttribute("aria-hidden", "true");
    // Heard: the same words, set only near the limit and once typing pauses.
    var spoken = document.createElement("div");
    spoken.className = "ds-sr-only";
    spoken.setAttribute("aria-live", "polite");
    var timer = null;

    function words() {
      var left = limit - area.value.length;
      if (left < 0) {
        return field.getAttribute("data-counter-over") + " " + grouped(-left);
      }
      return field.getAttribute("data-counter-left") + " " + grouped(left);
    }

    function update(announce) {
      var near = area.value.length >= limit * SHOW_FROM;
      window.clearTimeout(timer);
      shown.hidden = !near;
      shown.textContent = near ? words() : "";
      shown.setAttribute("data-state", area.value.length > limit ? "over" : "under");
      if (!near) {
        spoken.textContent = "";
      } else if (announce) {
        timer = window.setTimeout(function () {
          spoken.textContent = words();
        }, QUIET_MS);
      }
    }

    update(false); // a text sent back by the server may already be near or over the limit
    area.insertAdjacentElement("afterend", spoken);
    area.insertAdjacentElement("afterend", shown);
    area.addEventListener("input", function () {
      update(true);
    });
  }

  function enhanceAll(root) {
    var scope = root && root.querySelectorAll ? root : document;
    var fields = scope.querySelectorAll(".ds-field[data-counter-left]");
    for (var i = 0; i < fields.length; i += 1) {
      enhance(fields[i]);
    }
    if (scope.matches && scope.matches(".ds-field[data-counter-left]")) {
      enhance(scope);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () {
      enhanceAll(document);
    });
  } else {
    enhanceAll(document);
  }
  // Forms swapped in by htmx get their counters too.
  document.addEventListener("htmx:load", function (event) {
    enhanceAll(event.target);
  });
})();
