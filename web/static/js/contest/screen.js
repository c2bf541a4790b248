/* 擂台大屏（1920×1080，10 米外可读）：抽签过程、当前选手与倒计时、评委提交情况（不显示分数）、
 * 亮分（去掉最高分、最低分，平均分、超时扣分、最后得分）、逐步形成的排名、最终排名与奖项。 */
(function () {
  "use strict";

  var C = window.ArenaContest;
  var stage = document.getElementById("stage");
  var main = document.getElementById("main");
  var state = null;
  var shown = ""; // what the main panel shows now: redrawn only when this changes (animations)
  var PHASES = { ready: "准备上场", presenting: "正在汇报", presented: "汇报结束",
    scoring: "评委打分中", closed: "打分结束，即将亮分", revealed: "已亮分" };

  function el(id) { return document.getElementById(id); }

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
      return '<li style="animation-delay:' + (0.4 + i * 0.7) + 's"><span class="d-pos">' + (i + 1) +
        '</span><span class="d-name">' + C.esc(c.name) + '</span><span class="d-unit">' + C.esc(c.unit) +
        '</span><span class="d-hash">' + C.esc((hashes[c.code] || "").slice(0, 8)) + "…</span></li>";
    }).join("");
    return '<h2 class="panel-title">抽签结果 · 出场顺序</h2><ol class="draw-list" id="draw-list">' + rows +
      '</ol><p class="draw-rule">按 SHA-256（种子:选手编号）从小到大排序，任何人都可复核</p>';
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
    return '<div class="who"><span class="pos">第 ' + position(c.code) + ' 位出场</span>' +
      '<h2 class="name" id="name">' + C.esc(c.name) + '</h2><p class="post">' + C.esc(c.post) +
      '</p><p class="unit">' + C.esc(c.unit) + '</p></div><div class="clock"><span class="phase" id="phase">' +
      (PHASES[phase] || "") + '</span><span class="timer" id="timer"></span></div>' + lower;
  }

  function renderMain() {
    var v = view();
    var c = state.current;
    // Everything the panel shows except the running clock: unchanged => keep the DOM (and animations).
    var key = v === "stage"
      ? [v, c.code, state.phase, c.judges.map(function (j) { return j.submitted ? 1 : 0; }).join("")].join("|")
      : v + "|" + state.order.length;
    stage.dataset.view = v;
    stage.dataset.phase = v === "stage" ? state.phase : v;
    if (key === shown) return;
    shown = key;
    main.className = "main-panel " + v + (v === "stage" ? " phase-" + state.phase : "");
    main.innerHTML = v === "waiting" ? waitingHtml() : v === "draw" ? drawHtml() : v === "stage" ? stageHtml() : "";
  }

  function renderRanking() {
    var finished = state.contest.status === "finished";
    var newest = state.current && state.phase === "revealed" ? state.current.code : null;
    el("rank-title").textContent = finished ? "最终排名" : "实时排名";
    el("rank-empty").hidden = state.ranking.length > 0;
    el("ranking").innerHTML = state.ranking.map(function (r) {
      var cls = "rrow" + (r.code === newest ? " newest" : "") + (r.rank <= 3 ? " top" + r.rank : "");
      return '<li class="' + cls + '" data-code="' + C.esc(r.code) + '"><span class="r-rank">' + r.rank +
        '</span><span class="r-name"><b>' + C.esc(r.name) + "</b><small>" + C.esc(r.unit) + "</small></span>" +
        '<span class="r-post">' + C.esc(r.post) + '</span><span class="r-final">' + C.fmt(r.final) + "</span>" +
        '<span class="r-award">' + (finished && r.award ? '<em class="award ' + C.awardClass(r.award) + '">' +
        C.esc(r.award) + "</em>" : "") + "</span></li>";
    }).join("");
  }

  function renderStrip() {
    var current = state.current && state.current.code;
    el("order-strip").innerHTML = state.order.length ? "<span class='label'>出场顺序</span>" +
      state.order.map(function (c, i) {
        var cls = c.code === current && state.contest.status !== "finished" ? "o-on" : "o-" + c.state;
        return '<span class="o ' + cls + '">' + (i + 1) + " " + C.esc(c.name) + "</span>";
      }).join("") : "";
  }

  function tick() {
    var t = el("timer");
    if (!t || !state || !state.current) return;
    var clock = C.clock(state);
    var text = state.phase === "ready" ? C.mmss(state.contest.time_limit_seconds) : clock.text;
    if (t.textContent !== text) t.textContent = text;
    t.dataset.over = String(clock.over);
    t.dataset.running = String(clock.running);
  }

  function render(data) {
    state = data;
    C.sync(state);
    el("seed-box").hidden = !state.contest.seed;
    el("seed").textContent = state.contest.seed || "";
    renderMain();
    renderRanking();
    renderStrip();
    tick();
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
})();
