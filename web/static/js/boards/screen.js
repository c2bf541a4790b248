/* The board screen: tables sized to the room they have, a long follow-up list in pages that turn
 * by themselves (an indicator below), names shortened only when they cannot fit, the
 * distribution drawn to the screen's scale, and a new version of the board shown at the next page
 * turn (never a jump away from a page being read). */
"use strict";
(function () {
  var stage = document.getElementById("stage");
  var live = document.getElementById("live");
  var layout = stage.dataset.layout || "auto";
  var pageSeconds = Number(stage.dataset.pageSeconds) || 12;
  var storeKey = "arena-board-page-" + stage.dataset.board;
  var histogramData = window.BoardCharts.readJson("histogram-data");
  var follow = document.querySelector(".bs-follow .bs-table");
  var top = document.querySelector(".bs-top .bs-table");
  var pages = [[0, 0]];
  var page = 0;
  var reloadDue = false;
  var turning = null;

  try { // a reload for a new version comes back to the page it was turned to
    page = Number(sessionStorage.getItem(storeKey)) || 0;
    sessionStorage.removeItem(storeKey);
  } catch (e) { page = 0; }

  function visible(node) { return node && node.offsetParent !== null; }

  function dataRows(table) {
    return Array.prototype.filter.call(table.tBodies[0].rows, function (r) { return !r.querySelector(".empty"); });
  }

  /* Row height and type for a table: as large as the room allows, never under the readable
   * minimum; below it, as many rows as fit on one page. Returns the rows per page. */
  function size(table, count, big) {
    var u = ArenaFit.unit();
    // The top ten always show whole (a little tighter); the follow-up list pages instead.
    var minRow = (table === top ? 40 : 46) * u, maxRow = (big ? 96 : 64) * u;
    var box = table.parentElement;
    var head = table.tHead.offsetHeight;
    var available = box.clientHeight - head - 2;
    var slot = available / Math.max(count, 1);
    var perPage = count;
    if (slot < minRow) {
      perPage = Math.max(1, Math.floor(available / minRow));
      slot = available / perPage;
    }
    var rowH = Math.max(minRow, Math.min(maxRow, slot));
    var ems = table === follow ? 24.5 : 20.1; // the fixed columns plus a name (and a leader) in em
    var fs = Math.min(rowH * 0.6, (big ? 52 : 40) * u, box.clientWidth / ems);
    table.style.setProperty("--fs", Math.max(28 * u, fs) + "px");
    table.style.setProperty("--row-h", Math.floor(rowH) + "px");
    return perPage;
  }

  function fitText(scope) {
    Array.prototype.forEach.call(scope.querySelectorAll(".fit"), function (node) {
      if (visible(node)) ArenaFit.shorten(node);
    });
  }

  function showPage() {
    page = Math.min(page, pages.length - 1);
    var span = pages[page];
    dataRows(follow).forEach(function (row, i) { row.hidden = i < span[0] || i >= span[1]; });
    fitText(follow);
    stage.dataset.pages = String(pages.length);
    stage.dataset.page = String(page);
    var box = document.getElementById("pager");
    // Hidden but still taking its place: the footer keeps one height whatever the page count.
    box.style.visibility = pages.length < 2 ? "hidden" : "visible";
    document.getElementById("page-text").textContent = "跟进名单 第 " + (page + 1) + " / " + pages.length + " 页";
    var dots = [];
    for (var i = 0; i < pages.length; i++) {
      var dot = document.createElement("i");
      if (i === page) dot.className = "on";
      dots.push(dot);
    }
    document.getElementById("page-dots").replaceChildren.apply(document.getElementById("page-dots"), dots);
  }

  function flags() {
    var list = document.querySelector(".bs-flag-list");
    if (!list || !visible(list)) return;
    var items = Array.prototype.slice.call(list.querySelectorAll("li:not(.more)"));
    var more = list.querySelector(".more");
    items.forEach(function (li) {
      li.hidden = false;
      var who = li.querySelector(".who");
      ArenaFit.names(who, JSON.parse(who.dataset.names), function (n) { return "等 " + n + " 个"; });
    });
    more.hidden = true;
    // Categories beyond the card's room: said in one line, not cut off.
    var bottom = list.getBoundingClientRect().bottom + 1;
    var hidden = 0;
    for (var i = items.length - 1; i >= 0; i--) {
      if (items[i].getBoundingClientRect().bottom <= bottom && (!hidden || more.getBoundingClientRect().bottom <= bottom)) break;
      items[i].hidden = true;
      hidden += 1;
      more.hidden = false;
      more.textContent = "另有 " + hidden + " 项红旗，见组织部指数榜页面";
    }
  }

  function chart() {
    var box = document.getElementById("histogram");
    if (!histogramData || !visible(box)) return;
    var u = ArenaFit.unit();
    window.BoardCharts.histogram("histogram", histogramData, Math.round((layout === "chart" ? 30 : 24) * u), u);
  }

  function draw() {
    var big = layout !== "auto";
    fitText(document.querySelector(".bs-head"));
    if (visible(top)) {
      size(top, dataRows(top).length, big);
      fitText(top);
    }
    var rows = dataRows(follow);
    var perPage = visible(follow) ? size(follow, rows.length, big) : rows.length;
    pages = ArenaFit.chunk(rows.length, perPage);
    showPage();
    flags();
    chart();
  }

  function turn() {
    if (reloadDue) { // a new version: shown at this turn, on the page the turn leads to
      try { sessionStorage.setItem(storeKey, String((page + 1) % pages.length)); } catch (e) { /* private mode */ }
      window.location.reload();
      return;
    }
    page = (page + 1) % pages.length;
    showPage();
  }

  function schedule() {
    clearInterval(turning);
    turning = setInterval(function () {
      if (pages.length > 1 || reloadDue) turn();
    }, pageSeconds * 1000);
  }

  draw();
  schedule();
  window.ArenaScreen = { turn: turn, draw: draw };
  document.getElementById("updated-at").textContent = ArenaLive.formatTime(new Date());

  var resizing = null;
  window.addEventListener("resize", function () {
    clearTimeout(resizing);
    resizing = setTimeout(draw, 150);
  });

  window.ArenaLive.open(live.dataset.channel, {
    heartbeatSeconds: Number(live.dataset.heartbeat) || 15,
    onData: function (data) {
      if (data.version === live.dataset.version) {
        document.getElementById("updated-at").textContent = ArenaLive.formatTime(new Date());
        return;
      }
      // One page: nothing is being read through, show the new board now; else at the next turn.
      if (pages.length < 2) {
        window.location.reload();
        return;
      }
      reloadDue = true;
      stage.dataset.update = "due";
      document.getElementById("update-note").hidden = false; // in the place of the time
      document.getElementById("updated").hidden = true;
    },
    onState: function (state) {
      var conn = document.getElementById("conn");
      conn.dataset.state = state;
      document.getElementById("conn-text").textContent =
        { live: "实时", connecting: "连接中…", offline: "连接中断，正在重连…" }[state];
    },
  });
})();
