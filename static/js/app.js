// Faseport's small amount of behaviour. No inline scripts anywhere: the CSP forbids them.
(function () {
  "use strict";

  // Buttons with data-confirm ask before they submit (deleting, withdrawing).
  document.addEventListener("submit", function (event) {
    var button = event.submitter;
    var message = (button && button.getAttribute("data-confirm")) || event.target.getAttribute("data-confirm");
    if (message && !window.confirm(message)) { event.preventDefault(); }
  }, true);

  // An htmx request that was refused or never answered: the form stays as it is (nothing
  // typed is lost) and the reason is shown above the page.
  function requestAlert(html, text) {
    var box = document.getElementById("request-alert");
    if (!box) { return; }
    if (html) {
      var doc = new DOMParser().parseFromString(html, "text/html");
      var part = doc.querySelector("[role=alert], .ds-alert, section") || doc.body;
      box.replaceChildren(document.importNode(part, true));
    } else {
      var alert = document.createElement("div");
      alert.className = "ds-alert";
      alert.setAttribute("data-color", "warning");
      alert.setAttribute("role", "alert");
      alert.textContent = text;
      box.replaceChildren(alert);
    }
    box.scrollIntoView({ block: "nearest" });
  }
  document.addEventListener("htmx:responseError", function (event) {
    var xhr = event.detail.xhr;
    if (xhr && xhr.status !== 401) { requestAlert(xhr.responseText, ""); }
  });
  document.addEventListener("htmx:sendError", function () {
    var box = document.getElementById("request-alert");
    requestAlert("", box ? box.getAttribute("data-offline") : "");
  });
  document.addEventListener("htmx:beforeRequest", function () {
    var box = document.getElementById("request-alert");
    if (box) { box.replaceChildren(); }
  });
})();
