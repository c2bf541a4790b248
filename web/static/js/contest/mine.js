/* 选手手机页：本人亮分后显示最后得分、名次、奖项与每位评委的分数（去掉的划掉）；之前显示「成绩尚未揭晓」。 */
(function () {
  "use strict";

  var C = window.ArenaContest;
  var root = document.getElementById("mine");
  var id = root.dataset.contest;
  var code = root.dataset.code;
  var $ = function (sel) { return document.getElementById(sel); };
  var PHASES = { ready: "准备上场", presenting: "正在汇报", presented: "汇报结束",
    scoring: "评委打分中", closed: "打分已结束，即将亮分" };
  var asked = 0;

  function status(state) {
    if (!state.contest.seed) return "等待现场抽签确定出场顺序。";
    var pos = state.order.findIndex(function (c) { return c.code === code; }) + 1;
    var text = "您第 " + pos + " 位出场。";
    if (state.current && state.current.code === code) text += "当前：" + (PHASES[state.phase] || "") + "。";
    else if (state.current) text += "现在台上：" + state.current.name + "。";
    return text;
  }

  function show(result, state) {
    var finished = state.contest.status === "finished";
    root.dataset.state = "revealed";
    $("pending").hidden = true;
    $("status-text").textContent = finished ? "比赛已结束，以上为最终成绩。" : "其他选手陆续亮分，名次可能变化，本页自动更新。";
    $("final").textContent = C.fmt(result.final);
    $("final-2").textContent = C.fmt(result.final);
    $("rank").textContent = String(result.rank);
    $("rank-of").textContent = "/ " + result.of + " 人";
    $("rank-label").textContent = finished ? "最终名次" : "目前名次";
    $("award").hidden = !(finished && result.award);
    $("award").textContent = result.award || "";
    $("detail").hidden = false;
    $("judges").innerHTML = result.judges.map(function (j) {
      var tag = j.dropped === "high" ? "去掉最高分" : j.dropped === "low" ? "去掉最低分" : "";
      return '<tr class="' + (j.dropped ? "dropped" : "") + '"><th>' + C.esc(j.label) +
        (tag ? ' <span class="tag">' + tag + "</span>" : "") + '</th><td class="num">' + C.fmt(j.total) + "</td></tr>";
    }).join("");
    $("mean").textContent = C.fmt(result.mean);
    $("penalty").textContent = (result.penalty ? "−" : "") + C.fmt(result.penalty);
    $("penalty-label").textContent = "超时扣分" + (result.over_seconds ? "（超时 " + result.over_seconds + " 秒）" : "");
  }

  function onData(state) {
    var mine = state.order.find(function (c) { return c.code === code; });
    if (!mine || mine.state !== "revealed") {
      root.dataset.state = "pending";
      $("status-text").textContent = status(state);
      return;
    }
    var ask = ++asked;
    fetch("/api/v1/contests/" + id + "/contestants/" + encodeURIComponent(code), {
      credentials: "same-origin", headers: { Accept: "application/json" },
    }).then(function (r) { return r.ok ? r.json() : null; }).then(function (result) {
      if (result && ask === asked) show(result, state);
    }).catch(function () {});
  }

  ArenaLive.open("/ws/contests/" + id, {
    heartbeatSeconds: Number(root.dataset.heartbeat) || 15,
    onData: onData,
    onState: function (s) {
      $("conn").dataset.state = s;
      $("conn-text").textContent = { live: "实时更新", connecting: "连接中", offline: "网络中断，正在重连" }[s];
    },
  });
})();
