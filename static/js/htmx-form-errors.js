// htmx leaves 4xx responses unswapped by default. A form answered with 400 carries its own
// error messages, so show it in place like a successful response.
document.addEventListener("htmx:beforeSwap", function (event) {
  if (event.detail.xhr.status === 400) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});

// Settling copies "style" attributes between old and new elements with setAttribute, which
// our CSP (style-src 'self') blocks and reports; classes are all we animate.
if (window.htmx) {
  window.htmx.config.attributesToSettle = ["class", "width", "height"];
}
