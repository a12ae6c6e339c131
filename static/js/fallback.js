// Loaded right after the CDN copies of htmx and Designsystemet. When the CDN could not be
// reached (an intranet without internet), load the pinned local copies instead.
// Lives in a file, not inline, so the Content-Security-Policy can forbid inline scripts.
(function () {
  var me = document.currentScript;
  if (!me) { return; }
  var htmxLocal = me.getAttribute("data-htmx-local");
  if (!window.htmx && htmxLocal) {
    // document.write keeps the load synchronous, so app.js after this sees htmx.
    document.write('<script src="' + htmxLocal + '"><\/script>');
  }
  var cssLocal = me.getAttribute("data-css-local");
  if (cssLocal) {
    var probe = getComputedStyle(document.documentElement).getPropertyValue("--ds-size-base");
    if (!probe) {
      cssLocal.split(" ").forEach(function (href) {
        var link = document.createElement("link");
        link.rel = "stylesheet";
        link.href = href;
        document.head.appendChild(link);
      });
    }
  }
})();
