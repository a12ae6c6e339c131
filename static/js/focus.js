// Where keyboard focus goes after an htmx swap, for every component (WCAG 2.4.3).
//
// htmx replaces the element that held the focus, and the browser then drops focus to
// <body>: the next Tab starts at the top of the page. This script puts it back, by one
// set of rules for all components, so that no tab needs its own script:
//   1. an element marked `data-focus-after-swap` in the new content gets it (the server's
//      choice, e.g. a conflict message); otherwise
//   2. the first field marked aria-invalid="true" (a refused save); otherwise
//   3. a conflict message (`[data-conflict]`, kept by the form); otherwise
//   4. when a request opened a form: its first field; otherwise
//   5. when the form was saved or cancelled: the control that opened it (found again by
//      its id, its hx-get URL or its text), else the component's first control, else the
//      component itself (tabindex=-1).
// Focus is only moved when the swap took it away (it is on <body> or on a removed
// element), so live checks while typing and background polling never steal it.
// A full page with an error summary (`[data-error-summary]`) focuses the summary.
(function () {
  "use strict";

  var FIELDS = "input:not([type=hidden]):not([disabled]), select:not([disabled]), textarea:not([disabled])";
  var CONTROLS = "a[href], button:not([disabled]), " + FIELDS + ", [tabindex]:not([tabindex='-1'])";
  //: component id -> the control that opened its form: {id, get, text}
  var openers = {};
  //: the control that opened the latest form, for a form whose cancel or save swaps a
  //: larger (or another) component than the one the opener swapped
  var lastOpener = null;
  //: the last request's target id, trigger and verb, read when the swap has settled
  var pending = null;

  function visible(el) {
    if (el.checkVisibility) { return el.checkVisibility(); }
    return !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length);
  }

  function first(root, selector) {
    var all = root.querySelectorAll(selector);
    for (var i = 0; i < all.length; i++) {
      if (visible(all[i])) { return all[i]; }
    }
    return null;
  }

  function put(el) {
    if (!el) { return false; }
    if (!el.matches(CONTROLS) && !el.hasAttribute("tabindex")) { el.setAttribute("tabindex", "-1"); }
    el.focus({ preventScroll: false });
    return document.activeElement === el;
  }

  function focusLost() {
    var active = document.activeElement;
    return !active || active === document.body || !active.isConnected;
  }

  function describe(el) {
    return { id: el.id || "", get: el.getAttribute("hx-get") || "", text: (el.textContent || "").trim() };
  }

  function findOpener(d, root) {
    if (!d) { return null; }
    if (d.id) {
      var byId = document.getElementById(d.id);
      if (byId && visible(byId)) { return byId; }
    }
    var candidates = root.querySelectorAll("a[href], button");
    for (var i = 0; i < candidates.length; i++) {
      var c = candidates[i];
      if (d.get && c.getAttribute("hx-get") === d.get && visible(c)) { return c; }
    }
    for (var j = 0; j < candidates.length; j++) {
      if (d.text && (candidates[j].textContent || "").trim() === d.text && visible(candidates[j])) { return candidates[j]; }
    }
    return null;
  }

  //: `opened`: the form a control just opened, or null
  function place(root, opened) {
    var marked = document.querySelector("[data-focus-after-swap]");
    if (marked) {
      marked.removeAttribute("data-focus-after-swap");
      if (put(marked)) { return; }
    }
    if (put(first(root, "[aria-invalid=true]"))) { return; }
    if (put(first(root, "[data-conflict]"))) { return; }
    var hasForm = root.matches("form") || root.querySelector("form");
    if (opened && put(first(opened, FIELDS))) { return; }
    if (put(findOpener(openers[root.id], root))) { return; }
    if (!opened && put(findOpener(lastOpener, root) || findOpener(lastOpener, document))) { return; }
    if (hasForm && put(first(root, FIELDS))) { return; }
    if (put(first(root, CONTROLS))) { return; }
    put(root);
  }

  // The forms with fields to fill in, by where they post: a form that was not there before
  // the swap is the one a control opened.
  function formsWithFields(root) {
    var out = [];
    var forms = root.matches("form") ? [root] : root.querySelectorAll("form");
    for (var i = 0; i < forms.length; i++) {
      if (first(forms[i], FIELDS)) { out.push(forms[i]); }
    }
    return out;
  }

  function newForm(root, actionsBefore) {
    var forms = formsWithFields(root);
    for (var i = 0; i < forms.length; i++) {
      if (actionsBefore.indexOf(forms[i].getAttribute("action") || "") < 0) { return forms[i]; }
    }
    return null;
  }

  document.addEventListener("htmx:beforeRequest", function (event) {
    var d = event.detail;
    var target = d.target;
    var verb = ((d.requestConfig && d.requestConfig.verb) || "get").toLowerCase();
    var elt = d.elt;
    var active = document.activeElement;
    // Only a request the person started from inside the component moves focus (not a
    // poll, a "load" trigger or a search list filling in beside the field).
    if (!target || !target.id || !active || active === document.body
        || !(target.contains(active) || active === elt)) { return; }
    // A link or button outside any form may open one; "Avbryt" inside a form closes it.
    var clicked = verb === "get" && elt && elt.matches && elt.matches("a, button") && !elt.closest("form");
    pending = { id: target.id, opener: clicked ? describe(elt) : null,
                actions: formsWithFields(target).map(function (f) { return f.getAttribute("action") || ""; }) };
  });

  // Requests the content starts on its own (a chart's "load") settle in between: only the
  // settling of the person's own request places the focus.
  document.addEventListener("htmx:afterSettle", function (event) {
    var p = pending;
    var settled = event.detail && event.detail.target;
    if (!p || (settled && settled.id !== p.id)) { return; }
    pending = null;
    var root = document.getElementById(p.id) || document.getElementById("main");
    // A control that brought a new form into view opened it; remember the control.
    var opened = p.opener && root ? newForm(root, p.actions) : null;
    if (opened) { openers[root.id] = lastOpener = p.opener; }
    if (root && focusLost()) { place(root, opened); }
  });

  // A full page that refused a form: focus its error summary, which links to each field.
  function focusSummary() {
    var summary = document.querySelector("[data-error-summary]");
    if (summary) { put(summary); }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", focusSummary);
  } else {
    focusSummary();
  }
})();
