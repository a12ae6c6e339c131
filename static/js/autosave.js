// Nothing typed is lost: forms marked data-autosave keep a copy of their text fields in
// localStorage while the person types, and restore it if the page comes back without it
// (the session expired, the browser closed, the network failed). The copy is dropped once
// the form was sent and the next page is not the form again (nor the sign-in page).
(function () {
  "use strict";
  var PREFIX = "faseport-autosave:";
  var SENT = "faseport-autosave-sent";

  function fields(form) {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && el.name !== "csrf_token" && el.name !== "q" &&
        (el.tagName === "TEXTAREA" || (el.tagName === "INPUT" && /^(text|search|email|number|date|radio)$/.test(el.type)));
    });
  }

  function save(form) {
    var data = {};
    fields(form).forEach(function (el) {
      if (el.type === "radio") { if (el.checked) { data[el.name] = el.value; } }
      else { data[el.name] = el.value; }
    });
    try { localStorage.setItem(PREFIX + form.dataset.autosave, JSON.stringify(data)); } catch (e) { /* full or private */ }
  }

  function restore(form) {
    var raw = localStorage.getItem(PREFIX + form.dataset.autosave);
    if (!raw) { return; }
    var data; try { data = JSON.parse(raw); } catch (e) { return; }
    var changed = false;
    fields(form).forEach(function (el) {
      if (!(el.name in data)) { return; }
      if (el.type === "radio") {
        var want = data[el.name] === el.value;
        if (el.checked !== want) { el.checked = want; changed = true; }
      } else if (el.value !== data[el.name] && data[el.name] !== "") {
        el.value = data[el.name]; changed = true;
      }
    });
    // The sentence comes from the page (data-autosave-restored), in the reader's language.
    var restored = form.getAttribute("data-autosave-restored");
    if (changed && restored) {
      var note = document.createElement("div");
      note.className = "ds-alert";
      note.setAttribute("data-color", "info");
      note.setAttribute("role", "status");
      note.textContent = restored;
      form.insertBefore(note, form.firstChild);
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    var forms = document.querySelectorAll("form[data-autosave]");
    var sent = sessionStorage.getItem(SENT);
    var onLogin = document.body.hasAttribute("data-login-page");
    if (sent && !onLogin && !document.querySelector('form[data-autosave="' + sent + '"]')) {
      localStorage.removeItem(PREFIX + sent);
      sessionStorage.removeItem(SENT);
    }
    Array.prototype.forEach.call(forms, function (form) {
      restore(form);
      form.addEventListener("input", function () { save(form); });
      form.addEventListener("change", function () { save(form); });
      form.addEventListener("submit", function () { save(form); sessionStorage.setItem(SENT, form.dataset.autosave); });
    });
  });
})();
