/* A round's home: lock / unlock / publish, delete / archive, and checking the audit chain. */
(function () {
  "use strict";

  var root = document.getElementById("round-home");
  if (!root) return;
  var round = root.dataset.round;
  var post = window.ArenaFetch.postAction;

  function fail(error) {
    var box = document.getElementById("home-error");
    box.textContent = error.message;
    box.hidden = false;
  }

  var URLS = {
    lock: "/api/v1/rounds/" + round + "/lock",
    unlock: "/api/v1/rounds/" + round + "/unlock",
    publish: "/api/v1/rounds/" + round + "/publish",
    "delete": "/admin/rounds/" + round + "/delete",
    archive: "/admin/rounds/" + round + "/archive",
    unarchive: "/admin/rounds/" + round + "/unarchive"
  };

  root.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-action]");
    if (!button) return;
    var action = button.dataset.action;
    if (button.dataset.confirm && !window.confirm(button.dataset.confirm)) return;
    button.disabled = true;
    post(URLS[action])
      .then(function () {
        if (action === "delete") location.href = "/admin";
        else location.reload();
      })
      .catch(function (error) { button.disabled = false; fail(error); });
  });

  var verify = document.getElementById("verify-audit");
  var result = document.getElementById("audit-result");
  verify.addEventListener("click", function () {
    verify.disabled = true;
    result.hidden = false;
    result.className = "verdict";
    result.textContent = "正在逐条核验……";
    post("/admin/rounds/" + round + "/audit")
      .then(function (v) {
        result.className = "verdict " + (v.ok ? "ok" : "bad");
        result.textContent = v.ok
          ? "审计链完好：共 " + v.events + " 条记录逐条核验无误，最新哈希 " + v.latest.slice(0, 16) + "…"
          : v.broken_at === null
            ? v.reason + "（审计链 " + v.events + " 条记录完好，本轮数据被审计链以外的途径改动）"
            : "审计链异常：第 " + v.broken_at + " 条记录，" + v.reason + "（已核验 " + v.events + " 条）";
      })
      .catch(function (error) {
        result.className = "verdict bad";
        result.textContent = "无法核验：" + error.message;
      })
      .then(function () { verify.disabled = false; });
  });
})();
