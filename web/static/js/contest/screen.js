/* 擂台大屏（任何尺寸，后排可读）：抽签过程、当前选手与倒计时、评委提交情况（不显示分数）、
 * 亮分（去掉最高分、最低分，平均分、超时扣分、最后得分）、逐步形成的排名、最终排名与奖项。
 *
 * Fitting: the main panel is drawn at scale --k = 1 and lowered step by step until the phase on
 * show fits (contest-screen.css); the draw list and the ranking size their rows to the room and,
 * below a readable row, show pages that turn by themselves (?page_seconds=) with an indicator. An update never turns the page; a new reveal shows the page of the one revealed. */
(function () {
  "use strict";

  var C = window.ArenaContest;
  var stage = document.getElementById("stage");
  var main = document.getElementById("main");
  var pageSeconds = Number(stage.dataset.pageSeconds) || 12;
  var state = null;
  var shown = ""; // what the main panel shows now: redrawn only when this changes (animations)
  var PHASES = { ready: "准备上场", presenting: "正在汇报", presented: "汇报结束",
    scoring: "评委打分中", closed: "打分结束，即将亮分", revealed: "已亮分" };
  var paged = ""; // which list the pages belong to: "draw:draw", "ranking:stage", "ranking:final"
  var pages = [[0, 0]];
  var page = 0;
  var lastNewest = null;
  var lastOver = null;

  function el(id) { return document.getElementById(id); }
  function all(root, selector) { return Array.prototype.slice.call(root.querySelectorAll(selector)); }

  function view() {
    if (!state.contest.seed) return "waiting";
    if (state.contest.status === "finished") return "final";
    return state.current ? "stage" : "draw";
  }

  function waitingHtml() {
    return '<div class="waiting"><p class="big">等待抽签</p><p>共 ' + stage.dataset.count +
      " 名选手，出场顺序由现场公布的种子抽签决定</p></div>";
  }

  function drawHtml() {
    var hashes = {};
    (state.draw || []).forEach(function (d) { hashes[d.code] = d.hash; });
    var rows = state.order.map(function (c, i) {
      return '<li style="animation-delay:' + Math.min(0.4 + i * 0.7, 8) + 's"><span class="d-pos">' + (i + 1) +
        '</span><span class="d-name fit">' + C.esc(c.name) + '</span><span class="d-unit fit">' + C.esc(c.unit) +
        '</span><span class="d-hash">' + C.esc((hashes[c.code] || "").slice(0, 8)) + "…</span></li>";
    }).join("");
    return '<h2 class="panel-title">抽签结果 · 出场顺序</h2><ol class="draw-list" id="draw-list">' + rows +
      '</ol><p class="draw-rule fit">按 SHA-256（种子:选手编号）从小到大排序，任何人都可复核</p>';
  }

  function position(code) {
    for (var i = 0; i < state.order.length; i += 1) if (state.order[i].code === code) return i + 1;
    return "";
  }

  function judgesHtml(c) {
    return '<ul class="jchips" id="judges">' + c.judges.map(function (j) {
      return '<li class="' + (j.submitted ? "done" : "") + '">' + C.esc(j.label) +
        (j.submitted ? ' <b>✓</b>' : ' <i>…</i>') + "</li>";
    }).join("") + "</ul>";
  }

  function resultHtml(r) {
    var n = r.judges.length;
    var cards = r.judges.map(function (j, i) {
      var tag = j.dropped === "high" ? "去掉最高分" : j.dropped === "low" ? "去掉最低分" : "";
      return '<li class="jscore' + (j.dropped ? " dropped" : "") + '" style="animation-delay:' + (i * 0.35) +
        's"><span class="jl">' + C.esc(j.label) + '</span><span class="jt">' + C.fmt(j.total) + "</span>" +
        (tag ? '<span class="jd">' + tag + "</span>" : "") + "</li>";
    }).join("");
    var late = n * 0.35 + 0.4;
    return '<ol class="jscores" id="jscores">' + cards + '</ol><div class="sums" style="animation-delay:' +
      late + 's"><div class="sum"><span>平均分</span><b id="mean">' + C.fmt(r.mean) + "</b></div>" +
      '<div class="sum pen"><span>超时扣分' + (r.over_seconds ? "（超时 " + r.over_seconds + " 秒）" : "") +
      '</span><b id="penalty">' + (r.penalty ? "−" : "") + C.fmt(r.penalty) + '</b></div><div class="sum fin"><span>最后得分</span>' +
      '<b id="final">' + C.fmt(r.final) + "</b></div></div>";
  }

  function stageHtml() {
    var c = state.current;
    var phase = state.phase;
    var lower = "";
    if (phase === "scoring" || phase === "closed") lower = judgesHtml(c);
    if (phase === "revealed" && c.result) lower = resultHtml(c.result);
    return '<div class="who-row"><div class="who"><span class="pos">第 ' + position(c.code) + " 位出场</span>" +
      '<h2 class="name fit" id="name">' + C.esc(c.name) + '</h2><p class="meta"><span class="post fit">' +
      C.esc(c.post) + '</span><span class="unit fit">' + C.esc(c.unit) + "</span></p></div>" +
      '<div class="clock"><span class="phase" id="phase">' + (PHASES[phase] || "") +
      '</span><span class="timer" id="timer"></span></div></div>' + lower;
  }

  /* ---------- fitting ---------- */

  function shortenAll(root) {
    all(root, ".fit").forEach(function (node) { if (node.offsetParent !== null) ArenaFit.shorten(node); });
  }

  /* A heading at its design size, smaller down to `least` design pixels, then shortened. */
  function shrink(node, size, least) {
    var u = ArenaFit.unit();
    node.textContent = node.dataset.full || node.textContent;
    for (var s = size; s >= least; s -= 2) {
      node.style.fontSize = s * u + "px";
      if (node.scrollWidth <= node.clientWidth + 1) return;
    }
    ArenaFit.shorten(node);
  }

  function overflowing(box) {
    if (box.scrollHeight > box.clientHeight + 1 || box.scrollWidth > box.clientWidth + 1) return true;
    return all(box, ".who-row, .sums, .jscores, .clock").some(function (node) {
      return node.scrollWidth > node.clientWidth + 1;
    });
  }

  /* The judges' score cards: one row when they fit at a readable width, else two. */
  function sizeScores(u, k) {
    var list = el("jscores");
    if (!list) return;
    var n = list.children.length || 1;
    var width = list.clientWidth;
    var gap = 14 * u * k;
    var perRow = n;
    if ((width - gap * (n - 1)) / n < 132 * u) perRow = Math.ceil(n / 2);
    var card = Math.min(perRow < n ? Infinity : 210 * u * k, (width - gap * (perRow - 1)) / perRow - 1);
    list.style.setProperty("--jw", card + "px");
    list.style.setProperty("--jt", Math.max(24 * u, Math.min(64 * u * k, card / 3.3)) + "px");
  }

  function fitMain() {
    if (main.offsetParent === null) return;
    var u = ArenaFit.unit();
    if (stage.dataset.view === "draw") {
      main.style.setProperty("--k", "1");
      sizeDraw(u);
      return;
    }
    for (var k = 1; k >= 0.5; k -= 0.05) {
      main.style.setProperty("--k", String(k));
      sizeScores(u, k);
      shortenAll(main);
      if (!overflowing(main)) return;
    }
  }

  function sizeDraw(u) {
    var list = el("draw-list");
    if (!list) return;
    var items = all(list, "li");
    var count = Math.max(items.length, 1);
    var title = main.querySelector(".panel-title");
    var rule = main.querySelector(".draw-rule");
    var available = main.clientHeight - title.offsetHeight - 14 * u - rule.offsetHeight - 8 * u - 2;
    var minRow = 58 * u, maxRow = 86 * u;
    var fit1 = Math.max(1, Math.floor(available / minRow));
    var cols = count > fit1 && main.clientWidth / 2 >= 560 * u ? 2 : 1;
    var perCol = Math.ceil(count / cols);
    var perPage = count;
    if (perCol > fit1) { perCol = fit1; perPage = fit1 * cols; }
    var rowH = Math.min(maxRow, available / perCol);
    var colWidth = (main.clientWidth - (cols - 1) * 24 * u) / cols;
    list.style.setProperty("--cols", String(cols));
    list.style.setProperty("--per-col", String(perCol));
    list.style.setProperty("--dh", rowH + "px");
    list.style.setProperty("--dfs", Math.max(28 * u, Math.min(rowH * 0.52, 44 * u, colWidth / 17)) + "px");
    setPages("draw", ArenaFit.chunk(items.length, perPage));
  }

  function sizeRanking() {
    var list = el("ranking");
    var rows = all(list, "li");
    if (list.offsetParent === null) return;
    var u = ArenaFit.unit();
    rows.forEach(function (r) { r.hidden = false; });
    var available = list.clientHeight - 2;
    var count = Math.max(rows.length, 1);
    var minRow = 56 * u, maxRow = 92 * u;
    var slot = available / count;
    var perPage = rows.length;
    if (slot < minRow) {
      perPage = Math.max(1, Math.floor(available / minRow));
      slot = available / perPage;
    }
    var rowH = Math.min(maxRow, slot);
    var panel = list.parentElement;
    panel.style.setProperty("--rh", rowH + "px");
    var finalView = stage.dataset.view === "final";
    var ems = finalView ? 26 : 14; // the fixed columns and a readable name, in em of the row type
    panel.style.setProperty("--rfs-all", Math.max(28 * u, Math.min(rowH * 0.5, 42 * u, panel.clientWidth / ems)) + "px");
    setPages("ranking", ArenaFit.chunk(rows.length, perPage));
  }

  function setPages(which, plan) {
    var key = which + ":" + stage.dataset.view; // a new list (or the final ranking): from page 1
    if (paged !== key) { paged = key; page = 0; }
    pages = plan;
    if (which === "ranking" && state) {
      var newest = state.current && state.phase === "revealed" ? state.current.code : null;
      if (newest && newest !== lastNewest) { // a reveal: show the page of the one just revealed
        var at = state.ranking.map(function (r) { return r.code; }).indexOf(newest);
        if (at >= 0) page = ArenaPages.pageOf(pages, at);
      }
      lastNewest = newest;
    }
    showPage();
  }

  function showPage() {
    page = Math.min(page, pages.length - 1);
    var span = pages[page];
    var draw = paged.indexOf("draw") === 0;
    var list = draw ? el("draw-list") : el("ranking");
    if (list) {
      all(list, "li").forEach(function (row, i) { row.hidden = i < span[0] || i >= span[1]; });
      shortenAll(list);
    }
    stage.dataset.pages = String(pages.length);
    stage.dataset.page = String(page);
    var pager = el("rank-pager");
    pager.hidden = draw || pages.length < 2;
    var text = "第 " + (page + 1) + " / " + pages.length + " 页";
    var dots = "";
    for (var i = 0; i < pages.length; i++) dots += '<i class="' + (i === page ? "on" : "") + '"></i>';
    pager.innerHTML = "<span>" + text + '</span><span class="dots">' + dots + "</span>";
    var title = main.querySelector(".panel-title");
    if (draw && title) {
      title.textContent = "抽签结果 · 出场顺序" + (pages.length > 1 ? "（" + text + "）" : "");
    }
  }

  function turn() {
    page = (page + 1) % pages.length;
    showPage();
  }

  /* The order of appearance in one line: the one on stage always in view, "…" where some are left
   * out. */
  function fitStrip() {
    var strip = el("order-strip");
    var chips = all(strip, ".o");
    var before = strip.querySelector(".gap.before");
    var after = strip.querySelector(".gap.after");
    if (!chips.length) return;
    chips.forEach(function (c) { c.hidden = false; });
    before.hidden = after.hidden = true;
    var on = chips.findIndex(function (c) { return c.classList.contains("o-on"); });
    if (on < 0) on = chips.findIndex(function (c) { return !c.classList.contains("o-revealed"); });
    if (on < 0) on = chips.length - 1;
    var first = 0, last = chips.length - 1;
    while (strip.scrollWidth > strip.clientWidth + 1 && first < last) {
      if (first < on - 1) { chips[first].hidden = true; first += 1; before.hidden = false; }
      else if (last > on) { chips[last].hidden = true; last -= 1; after.hidden = false; }
      else if (first < on) { chips[first].hidden = true; first += 1; before.hidden = false; }
      else break;
    }
  }

  function layout() {
    if (!state) return;
    shrink(el("contest-name"), 46, 34);
    ArenaFit.shorten(document.querySelector(".ctop .campaign"));
    var seed = el("seed");
    if (seed.offsetParent !== null) shrink(seed, 44, 28);
    fitMain();
    sizeRanking();
    fitStrip();
  }

  /* ---------- drawing ---------- */

  function renderMain() {
    var v = view();
    var c = state.current;
    // Everything the panel shows except the running clock: unchanged => keep the DOM (and animations).
    var key = v === "stage"
      ? [v, c.code, state.phase, c.judges.map(function (j) { return j.submitted ? 1 : 0; }).join("")].join("|")
      : v + "|" + state.order.length;
    stage.dataset.view = v;
    stage.dataset.phase = v === "stage" ? state.phase : v;
    if (key === shown) return false;
    shown = key;
    main.className = "main-panel " + v + (v === "stage" ? " phase-" + state.phase : "");
    main.innerHTML = v === "waiting" ? waitingHtml() : v === "draw" ? drawHtml() : v === "stage" ? stageHtml() : "";
    return true;
  }

  function renderRanking() {
    var finished = state.contest.status === "finished";
    var newest = state.current && state.phase === "revealed" ? state.current.code : null;
    el("rank-title").textContent = finished ? "最终排名" : "实时排名";
    el("rank-empty").hidden = state.ranking.length > 0;
    el("ranking").innerHTML = state.ranking.map(function (r) {
      var cls = "rrow" + (r.code === newest ? " newest" : "") + (r.rank <= 3 ? " top" + r.rank : "");
      return '<li class="' + cls + '" data-code="' + C.esc(r.code) + '"><span class="r-rank">' + r.rank +
        '</span><span class="r-name"><b class="fit">' + C.esc(r.name) + '</b><small class="fit">' + C.esc(r.unit) + "</small></span>" +
        '<span class="r-post fit">' + C.esc(r.post) + '</span><span class="r-final">' + C.fmt(r.final) + "</span>" +
        '<span class="r-award">' + (finished && r.award ? '<em class="award ' + C.awardClass(r.award) + '">' +
        C.esc(r.award) + "</em>" : "") + "</span></li>";
    }).join("");
  }

  function renderStrip() {
    var current = state.current && state.current.code;
    el("order-strip").innerHTML = state.order.length ? "<span class='label'>出场顺序</span><span class='gap before' hidden>…</span>" +
      state.order.map(function (c, i) {
        var cls = c.code === current && state.contest.status !== "finished" ? "o-on" : "o-" + c.state;
        return '<span class="o ' + cls + '">' + (i + 1) + " " + C.esc(c.name) + "</span>";
      }).join("") + "<span class='gap after' hidden>…</span>" : "";
  }

  function tick() {
    var t = el("timer");
    if (!t || !state || !state.current) return;
    var clock = C.clock(state);
    var text = state.phase === "ready" ? C.mmss(state.contest.time_limit_seconds) : clock.text;
    if (t.textContent !== text) t.textContent = text;
    t.dataset.over = String(clock.over);
    t.dataset.running = String(clock.running);
    if (clock.over !== lastOver) { // "超时 mm:ss" is wider than "mm:ss": fit the panel again
      lastOver = clock.over;
      fitMain();
    }
  }

  function render(data) {
    state = data;
    C.sync(state);
    el("seed-box").hidden = !state.contest.seed;
    el("seed").dataset.full = state.contest.seed || "";
    el("seed").textContent = state.contest.seed || "";
    el("seed-source").textContent =
      { host: "主持人现场输入", server: "服务器随机选定" }[state.contest.seed_source] || "";
    renderMain();
    renderRanking();
    renderStrip();
    tick();
    layout();
  }

  ArenaLive.open("/ws/contests/" + stage.dataset.contest, {
    heartbeatSeconds: Number(stage.dataset.heartbeat) || 15,
    onData: function (data) { render(data); },
    onState: function (s) {
      el("conn").dataset.state = s;
      el("conn-text").textContent = { live: "实时", connecting: "连接中", offline: "网络中断，正在重连" }[s];
      stage.classList.toggle("stale", s !== "live");
    },
  });
  setInterval(tick, 200);
  // Long lists turn their pages by themselves.
  setInterval(function () { if (pages.length > 1) turn(); }, pageSeconds * 1000);
  window.ArenaScreen = { turn: turn, layout: layout };
  var resizing = null;
  window.addEventListener("resize", function () {
    clearTimeout(resizing);
    resizing = setTimeout(layout, 150);
  });
})();
