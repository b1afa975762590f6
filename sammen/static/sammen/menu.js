/*
 * The main menu behind a menu button on narrow screens (issue 11, "Phone").
 *
 * A disclosure: `base.html` renders a real <button aria-expanded="false" aria-controls="app-menu">
 * in the header. Without JavaScript app.css keeps that button hidden and shows the menu as a
 * compact list. This file marks the header `data-menu-ready`; from then on, on a narrow screen,
 * app.css shows the button and hides the menu while aria-expanded is "false". On a wide screen
 * the button stays hidden and the menu is always shown, whatever aria-expanded says.
 *
 * Enter and Space work because it is a native button; Escape closes the open menu and puts
 * focus back on the button. No inline script: the page loads this file with `defer`.
 */
(function () {
  "use strict";

  var header = document.querySelector("[data-app-menu]");
  var button = header && header.querySelector("button[aria-controls]");
  var menu = button && document.getElementById(button.getAttribute("aria-controls"));
  if (!menu) {
    return; // signed out: no menu
  }

  function isOpen() {
    return button.getAttribute("aria-expanded") === "true";
  }

  function setOpen(open) {
    button.setAttribute("aria-expanded", open ? "true" : "false");
  }

  button.addEventListener("click", function () {
    setOpen(!isOpen());
  });

  header.addEventListener("keydown", function (event) {
    if ((event.key === "Escape" || event.key === "Esc") && isOpen()) {
      setOpen(false);
      button.focus();
    }
  });

  header.setAttribute("data-menu-ready", "");
})();
