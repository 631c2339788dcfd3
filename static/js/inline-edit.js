// Forms that htmx opens in place (the skills matrix's cells, inside [data-inline-edit]) work
// from the keyboard: focus moves into the form when it opens, Escape or Cancel puts back what
// the place showed and returns focus to the link that opened it, and after a save focus is on
// the updated place. Without this, Enter on a cell opened the form but left focus on the page
// body (the link that had it was swapped away), and Escape did nothing.
(function () {
  "use strict";

  var REGION = "[data-inline-edit]";
  var FIELD = "select, textarea, input:not([type=hidden]):not([disabled])";
  // What each place showed before its form opened, by the place's id.
  var before = {};

  function inRegion(element) {
    return element && element.closest ? element.closest(REGION) : null;
  }

  // The place is the element htmx swaps the form into (a cell, with an id).
  document.addEventListener("htmx:beforeSwap", function (event) {
    var place = event.detail.target;
    var verb = event.detail.requestConfig && event.detail.requestConfig.verb;
    if (verb === "get" && place.id && inRegion(place) && !before[place.id]) {
      before[place.id] = place.outerHTML;
    }
  });

  function focusFirst(content, selector) {
    var target = content.matches(selector) ? content : content.querySelector(selector);
    if (target) {
      target.focus();
    }
    return Boolean(target);
  }

  function onLoad(content) {
    if (!inRegion(content)) {
      return;
    }
    if (content.querySelector && focusFirst(content, "form " + FIELD)) {
      return;
    }
    // A saved form is replaced by its result: the focus it had went with it.
    var lost = !document.activeElement || document.activeElement === document.body;
    if (lost && content.id && before[content.id]) {
      delete before[content.id];
      focusFirst(content, "a[href]");
    }
  }

  function close(form) {
    var place = form.closest("[id]");
    if (!place || !before[place.id]) {
      return false; // opened as a page of its own: Cancel is an ordinary link
    }
    // A template parses any element on its own, a table cell included.
    var holder = document.createElement("template");
    holder.innerHTML = before[place.id].trim();
    var restored = holder.content.firstElementChild;
    delete before[place.id];
    place.replaceWith(restored);
    window.htmx.process(restored);
    focusFirst(restored, "a[href]");
    return true;
  }

  document.addEventListener("keydown", function (event) {
    var form = event.key === "Escape" && event.target.closest ? event.target.closest("form") : null;
    if (form && inRegion(form) && close(form)) {
      event.preventDefault();
    }
  });

  document.addEventListener("click", function (event) {
    var cancel = event.target.closest ? event.target.closest("[data-inline-cancel]") : null;
    var form = cancel ? cancel.closest("form") : null;
    if (form && inRegion(form) && close(form)) {
      event.preventDefault();
    }
  });

  window.htmx.onLoad(onLoad); // htmx's script comes first (both are deferred)
})();
