// Every click htmx sends gets an answer the person can see.
//
// A refusal the server explains (any status, with HX-Retarget: peertrain.core.errors) is
// swapped into the page's alert region even when the status is one the htmx config treats as
// an error (403, 404, 429, 503 …). Any other failure (a 500 page, an expired CSRF token, a
// network that dropped) shows a plain message there instead of nothing at all.
(function () {
  "use strict";

  var REGION = "domain-error";
  var NOT_REACHED = "PeerTrain couldn't be reached, so nothing was sent. Check your connection and try again.";

  function messageFor(status) {
    if (status === 403) {
      return "That wasn't allowed, or your sign-in has expired. Reload the page and try again.";
    }
    if (status === 404) {
      return "That is no longer here. Reload the page to see what is.";
    }
    if (status === 429) {
      return "Too many attempts just now. Wait a moment and try again.";
    }
    if (status >= 500) {
      return "Something went wrong on our side. Please try again in a moment.";
    }
    return "That didn't work. Reload the page and try again.";
  }

  function showAlert(text) {
    var region = document.getElementById(REGION);
    if (!region) {
      return;
    }
    var alert = document.createElement("div");
    alert.className = "alert alert-warning alert-dismissible shadow";
    alert.setAttribute("role", "alert");
    alert.setAttribute("data-testid", "domain-error");
    alert.appendChild(document.createTextNode(text + " "));
    var close = document.createElement("button");
    close.type = "button";
    close.className = "btn-close";
    close.setAttribute("data-bs-dismiss", "alert");
    close.setAttribute("aria-label", "Close");
    alert.appendChild(close);
    region.replaceChildren(alert);
  }

  document.addEventListener("htmx:beforeSwap", function (event) {
    var detail = event.detail;
    var status = detail.xhr.status;
    if (status < 400) {
      return;
    }
    if (detail.xhr.getResponseHeader("HX-Retarget")) {
      detail.shouldSwap = true;
      detail.isError = false;
      return;
    }
    if (!detail.shouldSwap) {
      showAlert(messageFor(status));
    }
  });

  document.addEventListener("htmx:sendError", function () {
    showAlert(NOT_REACHED);
  });
  document.addEventListener("htmx:timeout", function () {
    showAlert(NOT_REACHED);
  });
})();
