/*
 * The warning before signing out after inactivity (issue 12, "Hardening").
 *
 * The server signs a person out when no request has come for `data-idle-seconds`
 * (core.session_timeout). `core/_session_warning.html` renders a hidden role="alert" box; this
 * file shows it `data-warning-seconds` before that, moves focus to its "Stay signed in" button
 * and, when pressed, asks the server to renew the session (POST to `data-renew-url`), hides the
 * box and puts focus back where it was. If the time runs out the box says so and links to the
 * sign-in page; nothing navigates away by itself, so typed text stays on the screen.
 *
 * Every page load is activity on the server, also in another tab: the time of the last one is
 * shared between tabs through localStorage, so a tab left open does not warn while the person
 * works in another. No inline script: the page loads this file with `defer`.
 */
(function () {
  "use strict";

  var box = document.querySelector("[data-session-warning]");
  if (!box) {
    return; // signed out: nothing to warn about
  }
  var idleMs = Number(box.getAttribute("data-idle-seconds")) * 1000;
  var warningMs = Number(box.getAttribute("data-warning-seconds")) * 1000;
  var renewUrl = box.getAttribute("data-renew-url");
  var csrfToken = box.getAttribute("data-csrf-token");
  var warning = box.querySelector('[data-session-state="warning"]');
  var failed = box.querySelector('[data-session-state="failed"]');
  var ended = box.querySelector('[data-session-state="ended"]');
  var button = box.querySelector("[data-session-renew]");
  var KEY = "sammen.lastActivity";
  var timer = null;
  var focusBefore = null;

  function now() {
    return Date.now();
  }

  function readShared() {
    try {
      return Number(window.localStorage.getItem(KEY)) || 0;
    } catch (error) {
      return 0; // storage switched off: this tab's own time is used
    }
  }

  var lastActivity = now();

  function markActivity(time) {
    lastActivity = Math.max(lastActivity, time);
    try {
      if (time > readShared()) {
        window.localStorage.setItem(KEY, String(time));
      }
    } catch (error) {
      /* storage switched off */
    }
  }

  function latestActivity() {
    return Math.max(lastActivity, readShared());
  }

  function show(state) {
    warning.hidden = state !== "warning";
    ended.hidden = state !== "ended";
    if (state !== "warning") {
      failed.hidden = true;
    }
    var wasHidden = box.hidden;
    box.hidden = state === "none";
    if (state === "warning" && wasHidden) {
      focusBefore = document.activeElement;
      button.focus();
    } else if (state === "ended") {
      box.focus();
    }
  }

  function schedule() {
    window.clearTimeout(timer);
    var left = latestActivity() + idleMs - now();
    if (left <= 0) {
      show("ended");
      return;
    }
    if (left <= warningMs) {
      show("warning");
      timer = window.setTimeout(schedule, Math.min(left, 1000 * 15));
      return;
    }
    if (!box.hidden) {
      // Another tab renewed the session while this one warned.
      hideAndRestoreFocus();
    }
    timer = window.setTimeout(schedule, left - warningMs);
  }

  function hideAndRestoreFocus() {
    show("none");
    if (focusBefore && document.contains(focusBefore) && focusBefore.focus) {
      focusBefore.focus();
    }
    focusBefore = null;
  }

  button.addEventListener("click", function () {
    button.disabled = true;
    window
      .fetch(renewUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrfToken },
      })
      .then(function (response) {
        if (response.status === 401 || response.status === 403) {
          show("ended");
          return;
        }
        if (!response.ok) {
          throw new Error("renew failed: " + response.status);
        }
        markActivity(now());
        hideAndRestoreFocus();
        schedule();
      })
      .catch(function () {
        failed.hidden = false;
      })
      .then(function () {
        button.disabled = false;
      });
  });

  box.addEventListener("keydown", function (event) {
    if ((event.key === "Escape" || event.key === "Esc") && !warning.hidden) {
      button.click(); // Escape means "I am here": the same as pressing the button
    }
  });

  window.addEventListener("storage", function (event) {
    if (event.key === KEY) {
      schedule();
    }
  });

  // Requests htmx sends are activity too.
  document.addEventListener("htmx:afterRequest", function () {
    markActivity(now());
    schedule();
  });

  markActivity(now());
  schedule();
})();
