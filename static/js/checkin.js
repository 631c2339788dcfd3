// htmx leaves 4xx answers unswapped. A row of the attendance sheet answered with 400/409
// carries its own error message, so show it in place like a successful answer.
document.addEventListener("htmx:beforeSwap", function (event) {
  var status = event.detail.xhr.status;
  if ((status === 400 || status === 409) && event.detail.elt.closest("[data-swap-errors]")) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});
