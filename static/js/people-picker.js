// The people picker as a WAI-ARIA combobox (https://www.w3.org/WAI/ARIA/apg/patterns/combobox/):
// the text input gets role=combobox, aria-expanded, aria-controls and aria-activedescendant;
// htmx fetches the matching people into the listbox (GET /people/search, see the
// people_picker macro); this file adds the keys (Arrow Down/Up, Enter, Escape, Home/End
// with Alt), the mouse, and the hidden username. Without JavaScript the input is a plain
// text field that the server resolves.
(function () {
  "use strict";

  function parts(input) {
    var id = input.getAttribute("data-people-picker");
    return {
      popup: document.getElementById(id + "-popup"),
      hidden: document.getElementById(id + "-username"),
      chosen: document.getElementById(id + "-chosen"),
      status: document.getElementById(id + "-status"),
      listId: id + "-listbox"
    };
  }

  function options(input) {
    var list = document.getElementById(parts(input).listId);
    return list ? Array.prototype.slice.call(list.querySelectorAll('[role="option"]')) : [];
  }

  function enhance(input) {
    if (input.getAttribute("role") === "combobox") { return; }
    var p = parts(input);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", p.listId);
  }

  function setActive(input, index) {
    var opts = options(input);
    opts.forEach(function (opt, i) {
      var on = i === index;
      opt.setAttribute("aria-selected", on ? "true" : "false");
      opt.classList.toggle("people-option--active", on);
      if (on) {
        input.setAttribute("aria-activedescendant", opt.id);
        if (opt.scrollIntoView) { opt.scrollIntoView({ block: "nearest" }); }
      }
    });
    if (index < 0 || index >= opts.length) { input.removeAttribute("aria-activedescendant"); }
  }

  function activeIndex(input) {
    var id = input.getAttribute("aria-activedescendant");
    return options(input).findIndex(function (opt) { return opt.id === id; });
  }

  function open(input) {
    var p = parts(input);
    if (!p.popup || !p.popup.children.length) { return; }
    p.popup.hidden = false;
    input.setAttribute("aria-expanded", options(input).length ? "true" : "false");
  }

  function close(input) {
    var p = parts(input);
    if (p.popup) { p.popup.hidden = true; }
    input.setAttribute("aria-expanded", "false");
    setActive(input, -1);
  }

  function isOpen(input) { return input.getAttribute("aria-expanded") === "true"; }

  function choose(input, opt) {
    var p = parts(input);
    input.value = opt.getAttribute("data-label");
    if (p.hidden) { p.hidden.value = opt.getAttribute("data-username"); }
    if (p.chosen) { p.chosen.textContent = opt.getAttribute("data-details") || ""; }
    // The sentence comes from the page (Flask-Babel), with {name} in it.
    var said = input.getAttribute("data-chosen-text") || "{name}";
    if (p.status) { p.status.textContent = said.replace("{name}", input.value); }
    close(input);
    input.dispatchEvent(new Event("change", { bubbles: true }));
  }

  document.addEventListener("keydown", function (event) {
    var input = event.target.closest && event.target.closest("[data-people-picker]");
    if (!input) { return; }
    var opts = options(input);
    var index = activeIndex(input);
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (!opts.length) { return; }
      event.preventDefault();
      if (!isOpen(input)) { open(input); }
      if (event.altKey) { return; }  // Alt+Down only opens the list
      var step = event.key === "ArrowDown" ? 1 : -1;
      setActive(input, index < 0 ? (step > 0 ? 0 : opts.length - 1) : (index + step + opts.length) % opts.length);
    } else if (event.key === "Enter") {
      if (isOpen(input) && index >= 0) {
        event.preventDefault();  // choose, do not send the form
        choose(input, opts[index]);
      }
    } else if (event.key === "Escape") {
      if (isOpen(input)) {
        event.preventDefault();
        close(input);
      } else if (input.value) {
        event.preventDefault();
        input.value = "";
        var p = parts(input);
        if (p.hidden) { p.hidden.value = ""; }
        if (p.chosen) { p.chosen.textContent = ""; }
      }
    }
  });

  // Typing means a new search: the earlier choice no longer holds.
  document.addEventListener("input", function (event) {
    var input = event.target.closest && event.target.closest("[data-people-picker]");
    if (!input) { return; }
    var p = parts(input);
    if (p.hidden) { p.hidden.value = ""; }
    if (p.chosen) { p.chosen.textContent = ""; }
  });

  // Mouse: mousedown keeps the focus in the input; the click chooses.
  document.addEventListener("mousedown", function (event) {
    if (event.target.closest && event.target.closest(".people-option")) { event.preventDefault(); }
  });
  document.addEventListener("click", function (event) {
    var opt = event.target.closest && event.target.closest(".people-option");
    if (!opt) { return; }
    var box = opt.closest(".people-picker__box");
    var input = box && box.querySelector("[data-people-picker]");
    if (input) { choose(input, opt); input.focus(); }
  });

  document.addEventListener("focusout", function (event) {
    var input = event.target.closest && event.target.closest("[data-people-picker]");
    if (input) { close(input); }
  });

  // New options arrived: show them and say how many (the listbox is replaced, so the
  // active option starts afresh).
  document.addEventListener("htmx:afterSwap", function (event) {
    var popup = event.detail && event.detail.target;
    if (!popup || !popup.classList || !popup.classList.contains("people-picker__popup")) { return; }
    var input = popup.parentNode.querySelector("[data-people-picker]");
    if (!input) { return; }
    var p = parts(input);
    var message = popup.querySelector("[data-message]");
    if (p.status && message) { p.status.textContent = message.getAttribute("data-message"); }
    if (document.activeElement === input) {
      open(input);
      setActive(input, -1);
    }
  });

  function enhanceAll(root) {
    if (!root || !root.querySelectorAll) { return; }
    if (root.matches && root.matches("[data-people-picker]")) { enhance(root); }
    Array.prototype.forEach.call(root.querySelectorAll("[data-people-picker]"), enhance);
  }
  document.addEventListener("DOMContentLoaded", function () { enhanceAll(document); });
  // Forms swapped in by htmx (a 422 form, a role card) bring new pickers.
  document.addEventListener("htmx:load", function (event) { enhanceAll(event.detail.elt); });
})();
