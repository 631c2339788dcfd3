// A table wider than the screen scrolls sideways inside its .table-responsive wrapper. Someone
// without a mouse or touch screen scrolls it with the arrow keys once it has the focus, so a
// wrapper that does scroll joins the tab order, named after its table's caption for screen
// readers (WCAG 2.1.1; axe's scrollable-region-focusable). One that fits is left alone.
(function () {
  "use strict";

  function name(wrapper) {
    var caption = wrapper.querySelector("caption");
    var text = caption ? caption.textContent.trim() : "";
    return text || "Table";
  }

  function mark(wrapper) {
    var scrolls = wrapper.scrollWidth > wrapper.clientWidth;
    if (scrolls && !wrapper.hasAttribute("tabindex")) {
      wrapper.setAttribute("tabindex", "0");
      wrapper.setAttribute("role", "region");
      wrapper.setAttribute("aria-label", name(wrapper) + " (scrolls sideways)");
      wrapper.dataset.scrollRegion = "";
    } else if (!scrolls && "scrollRegion" in wrapper.dataset) {
      wrapper.removeAttribute("tabindex");
      wrapper.removeAttribute("role");
      wrapper.removeAttribute("aria-label");
      delete wrapper.dataset.scrollRegion;
    }
  }

  function markAll(root) {
    var scope = root && root.querySelectorAll ? root : document;
    if (scope.matches && scope.matches(".table-responsive")) {
      mark(scope);
    }
    scope.querySelectorAll(".table-responsive").forEach(mark);
  }

  var pending = null;
  window.addEventListener("resize", function () {
    window.clearTimeout(pending);
    pending = window.setTimeout(markAll, 150);
  });
  document.addEventListener("htmx:load", function (event) {
    markAll(event.target);
  });
  markAll(document); // deferred: the page has been parsed
})();
