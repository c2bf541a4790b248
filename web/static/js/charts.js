/* The chart library, loaded only after a page's own figures are on screen.
 *
 * plotly.min.js is large (1.5 MB compressed): on rural signal it must never hold back a rank or a
 * total. Pages draw through ArenaCharts.draw(key, fn): the first call starts the download, and each
 * chart (key) is drawn once the library is there, with the latest data it was given.
 */
(function () {
  var script = document.currentScript;
  var source = (script && script.dataset.plotly) || "/static/vendor/plotly.min.js";
  var pending = {};
  var state = "idle";

  function flush() {
    var jobs = pending;
    pending = {};
    Object.keys(jobs).forEach(function (key) { jobs[key](); });
  }

  function load() {
    if (state !== "idle") return;
    if (document.readyState !== "complete") {
      // After the page's load event: the page counts as loaded (no spinner) while charts come.
      state = "waiting";
      window.addEventListener("load", function () { state = "idle"; load(); }, { once: true });
      return;
    }
    state = "loading";
    var tag = document.createElement("script");
    tag.src = source;
    tag.async = true;
    tag.onload = function () { state = "ready"; flush(); };
    tag.onerror = function () { state = "idle"; tag.remove(); setTimeout(load, 5000); };
    document.head.appendChild(tag);
  }

  window.ArenaCharts = {
    draw: function (key, fn) {
      if (window.Plotly) { fn(); return; }
      pending[key] = fn;
      load();
    },
  };
})();
