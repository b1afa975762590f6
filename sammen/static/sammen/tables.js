/*
 * Tables as stacked rows on narrow screens (issue 11, "Phone").
 *
 * Works on every `.app-table-wrap > table` without changes to the templates: each body and
 * footer cell gets `data-label` with the text of its column heading (colspans counted), its
 * content is wrapped in `.app-cell`, and the table is marked `data-app-stack`. On a narrow
 * screen app.css then shows each row as a block, each cell as "heading: value", and hides the
 * heading row. A heading that is only for screen readers (class ds-sr-only, e.g. "Actions")
 * gives no visible label.
 *
 * Screen readers keep the table: the label is drawn with CSS `content: attr(data-label) / ""`
 * (empty alternative text), and the explicit table roles keep the semantics where a browser
 * would drop them for `display: block`.
 *
 * Tables whose head is not a single plain row (spans, several rows) are left alone; they
 * scroll inside their wrapper. Without JavaScript every table does that, and the page itself
 * never scrolls sideways. A wrapper that does scroll is made a focusable, named region so it
 * can be scrolled by keyboard. Content htmx swaps in is handled after it settles.
 */
(function () {
  "use strict";

  function headingText(th) {
    var copy = th.cloneNode(true);
    var hidden = copy.querySelectorAll(".ds-sr-only");
    for (var i = 0; i < hidden.length; i++) {
      hidden[i].remove();
    }
    return copy.textContent.replace(/\s+/g, " ").trim();
  }

  function columnLabels(table) {
    var head = table.tHead;
    if (!head || head.rows.length !== 1) {
      return null;
    }
    var labels = [];
    var cells = head.rows[0].cells;
    for (var i = 0; i < cells.length; i++) {
      if (cells[i].colSpan !== 1 || cells[i].rowSpan !== 1) {
        return null;
      }
      labels.push(headingText(cells[i]));
    }
    return labels;
  }

  function wrapContent(cell) {
    if (cell.querySelector(":scope > .app-cell")) {
      return;
    }
    var wrapper = document.createElement("span");
    wrapper.className = "app-cell";
    while (cell.firstChild) {
      wrapper.appendChild(cell.firstChild);
    }
    cell.appendChild(wrapper);
  }

  function stack(table) {
    if (table.hasAttribute("data-app-stack")) {
      return;
    }
    var labels = columnLabels(table);
    if (!labels) {
      return;
    }
    table.setAttribute("role", "table");
    var groups = table.querySelectorAll(":scope > thead, :scope > tbody, :scope > tfoot");
    for (var g = 0; g < groups.length; g++) {
      var group = groups[g];
      group.setAttribute("role", "rowgroup");
      for (var r = 0; r < group.rows.length; r++) {
        var row = group.rows[r];
        row.setAttribute("role", "row");
        var column = 0;
        for (var c = 0; c < row.cells.length; c++) {
          var cell = row.cells[c];
          var isHeading = cell.tagName === "TH";
          if (group.tagName === "THEAD") {
            cell.setAttribute("role", "columnheader");
          } else {
            cell.setAttribute("role", isHeading ? "rowheader" : "cell");
            var label = cell.colSpan === 1 ? labels[column] : "";
            if (label && label !== headingText(cell)) {
              cell.setAttribute("data-label", label);
            }
            wrapContent(cell);
          }
          column += cell.colSpan;
        }
      }
    }
    table.setAttribute("data-app-stack", "");
  }

  // A wrapper that scrolls sideways (a table that could not be stacked, or a wide screen
  // that is still too narrow) can be reached and scrolled by keyboard, as a named region.
  function markScrolling(wrap) {
    var table = wrap.querySelector(":scope > table");
    var scrolls = wrap.scrollWidth > wrap.clientWidth + 1;
    if (scrolls && !wrap.hasAttribute("tabindex")) {
      var caption = table && table.caption;
      var section = wrap.closest("section");
      var heading = section && section.querySelector("h1, h2, h3");
      var name = (caption || heading || { textContent: "" }).textContent.replace(/\s+/g, " ").trim();
      wrap.setAttribute("tabindex", "0");
      wrap.setAttribute("role", "region");
      if (name) {
        wrap.setAttribute("aria-label", name);
      }
      wrap.setAttribute("data-app-scrolls", "");
    } else if (!scrolls && wrap.hasAttribute("data-app-scrolls")) {
      ["tabindex", "role", "aria-label", "data-app-scrolls"].forEach(function (name) {
        wrap.removeAttribute(name);
      });
    }
  }

  function stackAll() {
    var tables = document.querySelectorAll(".app-table-wrap > table");
    for (var i = 0; i < tables.length; i++) {
      stack(tables[i]);
      markScrolling(tables[i].parentElement);
    }
  }

  stackAll();
  document.addEventListener("htmx:afterSettle", stackAll);
  var resizing = null;
  window.addEventListener("resize", function () {
    window.clearTimeout(resizing);
    resizing = window.setTimeout(stackAll, 200);
  });
})();
