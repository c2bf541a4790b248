/* How a long ranking is cut into pages on a meeting screen (pure: numbers in, numbers out).
 *
 * ArenaPages.plan(count, perPage, bottomStart) → [[start, end), ...] over the ranking's rows.
 * Every row is on exactly one page. The bottom 20% (rows from bottomStart on) stay together on the
 * last page whenever they fit on one page, so no meeting misses the rows it exists for; the
 * leaders are always on the first page.
 */
(function () {
  "use strict";

  function plan(count, perPage, bottomStart) {
    var size = Math.max(1, Math.floor(perPage));
    if (count <= size) return [[0, count]];
    var pages = [];
    var lastStart = count - size;
    var group = bottomStart === null || bottomStart === undefined ? count : bottomStart;
    if (count - group > size) lastStart = group; // a bottom group longer than a page: its own pages
    for (var start = 0; start < lastStart; start += size) {
      pages.push([start, Math.min(start + size, lastStart)]);
    }
    for (var tail = lastStart; tail < count; tail += size) {
      pages.push([tail, Math.min(tail + size, count)]);
    }
    return pages;
  }

  function pageOf(pages, index) {
    for (var i = 0; i < pages.length; i++) {
      if (index >= pages[i][0] && index < pages[i][1]) return i;
    }
    return pages.length - 1;
  }

  window.ArenaPages = { plan: plan, pageOf: pageOf };
})();
