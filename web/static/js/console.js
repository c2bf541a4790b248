/* Organiser pages: the results-meeting console (reveal + live view) and the home's round actions. */
(function () {
  "use strict";

  var post = window.ArenaFetch.postAction;

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function fail(id, error) {
    var box = document.getElementById(id);
    box.textContent = error.message;
    box.hidden = false;
  }

  /* Home: lock / unlock / publish through the integration API (cookie + custom header). */
  var home = document.getElementById("admin-home");
  if (home) {
    home.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-action]");
      if (!button) return;
      if (button.dataset.confirm && !window.confirm(button.dataset.confirm)) return;
      button.disabled = true;
      post("/api/v1/rounds/" + button.dataset.round + "/" + button.dataset.action)
        .then(function () { location.reload(); })
        .catch(function (error) { button.disabled = false; fail("admin-error", error); });
    });
  }

  var root = document.getElementById("console");
  if (!root) return;
  var round = root.dataset.round;
  var heartbeat = Number(root.dataset.heartbeat) || 15;
  var fmt = ArenaLive.formatNumber;

  function showReveal(state) {
    root.dataset.frozen = String(state.frozen);
    root.dataset.revealed = String(state.revealed);
    document.getElementById("reveal-mode").textContent = state.frozen ? "已冻结" : "实时";
    document.getElementById("reveal-text").textContent = state.frozen
      ? "已揭晓 " + state.revealed + " / " + state.count + " 名"
      : "大屏正在显示实时排名。";
    var next = document.getElementById("reveal-next");
    next.hidden = !state.next;
    if (state.next) {
      next.textContent = "下一步揭晓：第 " + state.next.rank + " 名 " + state.next.name +
        "（" + fmt(state.next.total) + " 分）";
    }
    document.getElementById("btn-step").disabled = !state.next;
    document.getElementById("btn-release").disabled = !state.frozen;
  }

  root.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-reveal]");
    if (!button) return;
    if (button.dataset.reveal === "freeze" && root.dataset.frozen === "true" &&
        !window.confirm("大屏已冻结。重新冻结将按当前实时成绩从头揭晓，确定？")) return;
    document.getElementById("reveal-error").hidden = true;
    button.disabled = true;
    post("/admin/rounds/" + round + "/reveal/" + button.dataset.reveal)
      .then(showReveal)
      .catch(function (error) { fail("reveal-error", error); })
      .then(function () { button.disabled = false; refreshState(); });
  });

  function refreshState() {
    fetch("/admin/rounds/" + round + "/reveal", { headers: { Accept: "application/json" } })
      .then(function (r) { return r.json(); }).then(showReveal);
  }

  function showPublic(data) {
    var list = document.getElementById("public-rows");
    var items = [];
    var hidden = data.reveal ? data.reveal.hidden : 0;
    for (var i = 0; i < hidden; i++) items.push(el("li", "hidden", "？ 待揭晓"));
    data.rows.forEach(function (row) {
      var li = el("li", null, row.rank + ". " + row.name + "  " + fmt(row.total));
      li.dataset.village = row.village;
      items.push(li);
    });
    list.replaceChildren.apply(list, items);
    refreshState();
  }

  function showLive(data) {
    var body = document.getElementById("live-rows");
    body.replaceChildren.apply(body, data.rows.map(function (row) {
      var tr = el("tr");
      tr.dataset.village = row.village;
      tr.appendChild(el("td", null, String(row.rank)));
      tr.appendChild(el("td", null, row.name));
      tr.appendChild(el("td", "num", fmt(row.total) + (row.provisional ? " 暂定" : "")));
      tr.appendChild(el("td", "muted", row.sheets_in + "/" + row.sheets_expected));
      return tr;
    }));
    document.getElementById("live-progress").textContent =
      "已收 " + data.sheets_in + " / " + data.sheets_expected + " 份";
    refreshState();
  }

  ArenaLive.open("/ws/rounds/" + round, { heartbeatSeconds: heartbeat, onData: showPublic });
  ArenaLive.open("/ws/rounds/" + round + "/live", {
    heartbeatSeconds: heartbeat,
    onData: showLive,
    onState: function (state) {
      document.getElementById("conn").dataset.state = state;
      document.getElementById("conn-text").textContent =
        { live: "实时", connecting: "连接中…", offline: "连接中断，正在重连…" }[state];
    },
  });
})();
