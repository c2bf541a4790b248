/* 擂台赛主持人控制台：抽签、上场、计时、打分、亮分。每步带上所依据的 revision，过期则刷新。
 * 所有状态都在服务器上：刷新页面或换一台电脑，控制台看到的都一样。 */
(function () {
  "use strict";

  var C = window.ArenaContest;
  var root = document.getElementById("contest-console");
  var id = root.dataset.contest;
  var $ = function (sel) { return root.querySelector(sel); };
  var state = null;
  var busy = false;
  var SEED_SOURCES = { host: "（主持人输入）", server: "（服务器随机选定）" };
  var ALLOWED = {
    next: ["idle", "revealed"], start: ["ready", "presented"], stop: ["presenting"],
    time: ["presented", "scoring", "closed"], open: ["presenting", "presented"],
    close: ["scoring"], reveal: ["closed"], finish: ["idle", "revealed"],
  };
  var SUGGESTED = { ready: "start", presenting: "stop", presented: "open", scoring: "close",
    closed: "reveal" };
  var PHASES = { idle: "等待上场", ready: "准备上场", presenting: "正在汇报", presented: "汇报结束",
    scoring: "评委打分中", closed: "打分已结束", revealed: "已亮分" };
  var HINTS = {
    next: "请点「下一位」请选手上场。", start: "选手就位后点「开始计时」。",
    stop: "汇报结束时点「停止计时」（或直接「开始打分」，计时随之停止）。",
    open: "点「开始打分」，评委平板上即出现评分表。",
    close: "评委全部提交后点「结束打分」。", reveal: "点「亮分」，大屏逐一显示各评委分数与最后得分。",
    finish: "全部选手已亮分，点「结束比赛」显示最终排名与奖项。",
  };

  function remaining() {
    return state.order.filter(function (c) { return c.state !== "revealed"; }).length;
  }

  function enabled(action) {
    if (!state || busy || state.contest.status === "finished") return false;
    if (action === "draw") return !state.contest.seed;
    if (!state.contest.seed) return false;
    if (ALLOWED[action].indexOf(state.phase) < 0) return false;
    if (action === "next") return remaining() > 0;
    if (action === "finish") return remaining() === 0;
    return true;
  }

  function suggested() {
    if (!state.contest.seed) return "draw";
    if (state.contest.status === "finished") return null;
    if (SUGGESTED[state.phase]) return SUGGESTED[state.phase];
    return remaining() ? "next" : "finish";
  }

  function showError(message) {
    var box = $("#step-error");
    box.textContent = message || "";
    box.hidden = !message;
  }

  function renderButtons() {
    var hint = state ? suggested() : null;
    root.querySelectorAll("button[data-action]").forEach(function (b) {
      b.disabled = !enabled(b.dataset.action);
      b.classList.toggle("primary", b.dataset.action === hint);
    });
    $("#next-hint").textContent = !state ? "" : state.contest.status === "finished"
      ? "比赛已结束，大屏正在显示最终排名与奖项。" : HINTS[hint] || "";
  }

  function renderDraw() {
    var drawn = Boolean(state.contest.seed);
    $("#draw-form").hidden = drawn;
    $("#seed-line").hidden = !drawn;
    $("#seed-value").textContent = state.contest.seed || "";
    $("#seed-source").textContent = SEED_SOURCES[state.contest.seed_source] || "";
    var current = state.current && state.current.code;
    $("#order").innerHTML = state.order.map(function (c, i) {
      var mark = c.state === "revealed" ? "已亮分" : c.code === current ? "在台上" : "待上场";
      return '<li data-code="' + C.esc(c.code) + '" class="' + (c.code === current ? "o-on" : "o-" + c.state) + '">' +
        '<span class="pos">' + (i + 1) + '</span><span class="name">' + C.esc(c.name) + '</span>' +
        '<span class="unit">' + C.esc(c.unit) + '</span><span class="mark">' + mark + "</span></li>";
    }).join("");
  }

  function renderCurrent() {
    var c = state.current;
    var phase = state.contest.status === "finished" ? "比赛已结束" : PHASES[state.phase] || state.phase;
    $("#phase-pill").textContent = phase;
    $("#who").innerHTML = c
      ? '<p class="who-name" id="who-name">' + C.esc(c.name) + '</p><p class="who-post">' +
        C.esc(c.post) + " · " + C.esc(c.unit) + "</p>"
      : '<p class="muted">尚未有选手上场。</p>';
    var judges = c ? c.judges : [];
    root.querySelectorAll("#judges li").forEach(function (li) {
      var j = judges.find(function (x) { return x.label === li.dataset.label; });
      var done = Boolean(j && j.submitted);
      li.classList.toggle("done", done);
      li.querySelector(".state").textContent = !c ? "—" : done ? "✓ 已提交" : "未提交";
    });
    var box = $("#result");
    var r = c && c.result;
    box.hidden = !r;
    if (r) {
      box.innerHTML = '<p class="scores">' + r.judges.map(function (j) {
        return '<span class="' + (j.dropped ? "dropped" : "") + '">' + C.esc(j.label) + " " +
          C.fmt(j.total) + "</span>";
      }).join("") + '</p><p>平均分 <b>' + C.fmt(r.mean) + "</b> − 超时扣分 <b>" + C.fmt(r.penalty) +
        "</b>（超时 " + r.over_seconds + ' 秒） = 最后得分 <b class="final" id="final">' +
        C.fmt(r.final) + "</b></p>";
    }
    var fix = ALLOWED.time.indexOf(state.phase) >= 0 && c && state.contest.status !== "finished";
    $("#time-fix").hidden = !fix;
    if (fix && document.activeElement.closest("#time-fix") === null) {
      $("#fix-min").value = Math.floor((c.elapsed_seconds || 0) / 60);
      $("#fix-sec").value = (c.elapsed_seconds || 0) % 60;
    }
  }

  function renderRanking() {
    var finished = state.contest.status === "finished";
    $("#ranking").innerHTML = state.ranking.map(function (r) {
      return '<tr data-code="' + C.esc(r.code) + '"><td>' + r.rank + "</td><td>" + C.esc(r.name) +
        "</td><td>" + C.esc(r.unit) + '</td><td class="num">' + C.fmt(r.final) + "</td><td>" +
        (finished && r.award ? C.esc(r.award) : "") + "</td></tr>";
    }).join("") || '<tr><td colspan="5" class="muted">尚无亮分的选手</td></tr>';
  }

  function tick() {
    if (!state) return;
    var t = $("#timer");
    if (!state.current || state.contest.status === "finished") {
      t.textContent = "—";
      t.dataset.over = "false";
      return;
    }
    var clock = C.clock(state);
    t.textContent = (clock.running ? "计时中 " : "") + clock.text + "（已用 " + C.mmss(clock.used) + "）";
    t.dataset.over = String(clock.over);
  }

  function render(next) {
    if (state && next.revision < state.revision) return; // an older push: keep the newer state
    state = next;
    C.sync(state);
    root.dataset.phase = state.contest.status === "finished" ? "finished" : state.phase;
    root.dataset.revision = String(state.revision);
    renderDraw();
    renderCurrent();
    renderRanking();
    renderButtons();
    tick();
  }

  function reload() {
    return fetch("/api/v1/contests/" + id, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) { if (data) { state = null; render(data); } });
  }

  function step(action) {
    if (!enabled(action)) return;
    var body = { action: action, revision: state.revision };
    if (action === "draw") {
      body.seed = $("#seed-input").value.trim();
      // the draw cannot be undone: say what will happen, above all when no seed was entered
      var ask = body.seed
        ? "将以种子 " + body.seed + " 抽签，抽签后出场顺序不能再改。确定抽签？"
        : "种子框是空的：将由服务器随机选定一个种子（大屏会注明“服务器随机选定”），抽签后出场顺序不能再改。确定抽签？";
      if (!window.confirm(ask)) return;
    }
    if (action === "time") {
      body.elapsed_seconds = (Number($("#fix-min").value) || 0) * 60 + (Number($("#fix-sec").value) || 0);
    }
    if (action === "close") {
      var missing = state.current.judges.filter(function (j) { return !j.submitted; }).length;
      if (missing && !window.confirm("还有 " + missing + " 位评委未提交，结束打分后他们不能再打分。确定结束？")) return;
    }
    if (action === "finish" && !window.confirm("结束比赛后大屏显示最终排名与奖项，不能再继续。确定结束？")) return;
    busy = true;
    renderButtons();
    showError("");
    C.post("/api/v1/contests/" + id + "/steps", body).then(function (answer) {
      busy = false;
      state.revision = Math.max(state.revision, answer.revision);
      state.phase = answer.phase;
      renderButtons();
      return reload();
    }, function (error) {
      busy = false;
      showError(error.message);
      renderButtons();
      if (error.status === 409) return reload();
    });
  }

  root.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-action]");
    if (button && button.type !== "submit") step(button.dataset.action);
  });
  $("#draw-form").addEventListener("submit", function (event) { event.preventDefault(); step("draw"); });
  $("#time-fix").addEventListener("submit", function (event) { event.preventDefault(); step("time"); });
  $("#btn-random").addEventListener("click", function () {
    var n = window.crypto.getRandomValues(new Uint32Array(1))[0] % 1000000;
    $("#seed-input").value = String(n).padStart(6, "0");
  });

  ArenaLive.open("/ws/contests/" + id, {
    heartbeatSeconds: Number(root.dataset.heartbeat) || 15,
    onData: function (data) { render(data); },
    onState: function (s) {
      var conn = $("#conn");
      conn.dataset.state = s;
      $("#conn-text").textContent = { live: "实时连接", connecting: "连接中", offline: "连接中断，正在重连" }[s];
    },
  });
  setInterval(tick, 250);
})();
