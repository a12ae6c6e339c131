// Faseport's small amount of behaviour. No inline scripts anywhere: the CSP forbids them.
(function () {
  "use strict";

  // People picker: a result button fills the hidden username field and the visible label.
  document.addEventListener("click", function (event) {
    var pick = event.target.closest(".people-pick");
    if (!pick) { return; }
    var name = pick.getAttribute("data-field");
    var hidden = document.getElementById(name);
    var label = document.getElementById(name + "-chosen");
    if (hidden) { hidden.value = pick.getAttribute("data-username"); hidden.dispatchEvent(new Event("change", { bubbles: true })); }
    if (label) { label.textContent = pick.getAttribute("data-label"); }
    var results = document.getElementById(name + "-results");
    if (results) { results.innerHTML = ""; }
    var search = document.getElementById(name + "-search");
    if (search) { search.value = ""; search.focus(); }
  });

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
