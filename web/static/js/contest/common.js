/* 擂台赛页面共用（大屏、主持人控制台、选手页）：服务器时间校正的计时、格式、转义、主持人操作。
 * window.ArenaContest = { sync, clock, mmss, esc, fmt, post, awardClass }
 */
(function () {
  "use strict";

  var offset = 0; // 服务器时间 − 本机时间（秒）：本机时钟不准也能正确倒计时

  function sync(state) {
    if (typeof state.server_time === "number") offset = state.server_time - Date.now() / 1000;
  }

  function serverNow() {
    return Date.now() / 1000 + offset;
  }

  function two(n) {
    return (n < 10 ? "0" : "") + n;
  }

  function mmss(seconds) {
    var s = Math.max(0, Math.round(seconds));
    return two(Math.floor(s / 60)) + ":" + two(s % 60);
  }

  /* 当前选手的计时：已用时间、剩余时间；超过时限时 text 为「超时 mm:ss」。 */
  function clock(state) {
    var c = state.current;
    var limit = state.contest.time_limit_seconds;
    var running = Boolean(c && c.timer_started_at);
    var used = c ? c.elapsed_seconds || 0 : 0;
    if (running) used += Math.max(0, serverNow() - c.timer_started_at);
    var left = limit - used;
    return {
      used: used,
      left: left,
      running: running,
      over: left < 0,
      text: left >= 0 ? mmss(Math.ceil(left)) : "超时 " + mmss(Math.floor(-left)),
    };
  }

  function esc(value) {
    return String(value === null || value === undefined ? "" : value).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function fmt(value) {
    if (value === null || value === undefined) return "—";
    return Number(value).toFixed(2);
  }

  function awardClass(award) {
    return { "一等奖": "award-1", "二等奖": "award-2", "三等奖": "award-3" }[award] || "award-x";
  }

  /* POST 一个 JSON 请求（会话 Cookie + 防跨站请求头）；失败时抛出带 status、code 的错误。 */
  function post(url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-Arena-Request": "1", Accept: "application/json" },
      body: JSON.stringify(body),
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (answer) {
        if (response.ok) return answer;
        var error = new Error((answer.error && answer.error.message) || "操作失败（" + response.status + "）");
        error.status = response.status;
        error.code = answer.error && answer.error.code;
        throw error;
      });
    }, function () {
      var error = new Error("网络不通，操作没有发出，请检查网络后重试");
      error.status = 0;
      throw error;
    });
  }

  window.ArenaContest = {
    sync: sync, clock: clock, mmss: mmss, esc: esc, fmt: fmt, post: post, awardClass: awardClass,
  };
})();
