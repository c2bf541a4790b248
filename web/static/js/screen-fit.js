/* Text that must stay on one line inside its box on a hall screen (board and contest screens).
 *
 * ArenaFit.shorten(el)        the element's full text if it fits, else as much as fits + "…"
 *                             (the full text stays in the title; never a hidden CSS ellipsis)
 * ArenaFit.names(el, names, more)
 *                             as many whole names as fit, joined by "、", then more(total)
 *                             (e.g. "等 12 个") — no name is ever cut in half
 * ArenaFit.unit()             one design pixel in CSS pixels (the designs of screen.css)
 * ArenaFit.chunk(count, perPage)
 *                             pages of a list read from the top: [[start, end), ...], every page
 *                             full but the last (a list with no band to keep together; the round
 *                             screen's bottom-20% band uses ArenaPages.plan)
 */
(function () {
  "use strict";

  /* Measured on the text itself: scrollWidth is rounded to whole pixels, and a glyph 1.1 px past
   * the edge is still cut. */
  function fits(el) {
    if (el.scrollWidth > el.clientWidth + 1) return false;
    var range = document.createRange();
    range.selectNodeContents(el);
    var text = range.getBoundingClientRect();
    var box = el.getBoundingClientRect();
    var style = getComputedStyle(el);
    var right = box.right - parseFloat(style.borderRightWidth) - parseFloat(style.paddingRight);
    var left = box.left + parseFloat(style.borderLeftWidth) + parseFloat(style.paddingLeft);
    return text.right <= right + 0.5 && text.left >= left - 0.5;
  }

  function shorten(el) {
    var full = el.dataset.full;
    if (full === undefined) {
      full = el.textContent;
      el.dataset.full = full;
    }
    el.textContent = full;
    if (!el.clientWidth || fits(el)) {
      el.removeAttribute("title");
      return;
    }
    var low = 0, high = full.length - 1;
    while (low < high) { // the longest prefix that fits with its "…"
      var mid = Math.ceil((low + high) / 2);
      el.textContent = full.slice(0, mid) + "…";
      if (fits(el)) low = mid; else high = mid - 1;
    }
    el.textContent = low > 0 ? full.slice(0, low) + "…" : "…";
    el.title = full;
  }

  function names(el, list, more) {
    el.textContent = list.join("、");
    el.title = list.join("、");
    if (!el.clientWidth || fits(el)) return;
    for (var n = list.length - 1; n >= 1; n--) {
      el.textContent = list.slice(0, n).join("、") + more(list.length);
      if (fits(el)) return;
    }
    el.textContent = list[0] + more(list.length);
  }

  function unit() {
    var w = window.innerWidth, h = window.innerHeight;
    if (w / h <= 1) return Math.min(w / 1080, h / 1920);
    if (w / h <= 1.6) return Math.min(w / 1400, h / 1050);
    return Math.min(w / 1920, h / 1080);
  }

  function chunk(count, perPage) {
    var size = Math.max(1, Math.floor(perPage));
    var pages = [];
    for (var start = 0; start < count; start += size) pages.push([start, Math.min(start + size, count)]);
    return pages.length ? pages : [[0, 0]];
  }

  window.ArenaFit = { shorten: shorten, names: names, unit: unit, chunk: chunk };
})();
