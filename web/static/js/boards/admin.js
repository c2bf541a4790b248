/* The organiser's board page: search, filter and sort the ranking, import values, edit follow-ups. */
"use strict";
(function () {
  var root = document.getElementById("board-admin");
  var id = root.dataset.board;
  var api = "/api/v1/boards/" + id;
  var HEADERS = { "X-Arena-Request": "1" };
  var state = { page: 1, perPage: 50, total: 0 };

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (cls) node.className = cls;
    return node;
  }
  function fixed(x) { return Number(x).toFixed(2); }
  function signed(x) { return (x > 0 ? "+" : "") + fixed(x); }
  function errorText(body, fallback) {
    return body && body.error ? body.error.message : fallback;
  }

  /* ranking */
  var filters = document.getElementById("filters");
  function loadRanking() {
    if (!filters) return;
    var params = new URLSearchParams(new FormData(filters));
    params.set("page", state.page);
    params.set("per_page", state.perPage);
    fetch(api + "/rankings?" + params.toString(), { credentials: "same-origin" })
      .then(function (r) { return r.json().then(function (b) { return [r.ok, b]; }); })
      .then(function (res) {
        var body = res[1], tbody = document.querySelector("#ranking tbody");
        tbody.textContent = "";
        if (!res[0]) { tbody.appendChild(row([errorText(body, "加载失败")], 8)); return; }
        state.total = body.total;
        body.rows.forEach(function (x) {
          var tr = el("tr");
          tr.appendChild(el("td", x.rank, "num"));
          tr.appendChild(el("td", x.village));
          tr.appendChild(el("td", x.name, "strong"));
          tr.appendChild(el("td", x.township));
          tr.appendChild(el("td", fixed(x.index), "num strong"));
          tr.appendChild(el("td", x.delta ? signed(x.delta.index) : "新上榜",
            "num " + (x.delta ? (x.delta.index > 0 ? "up" : x.delta.index < 0 ? "down" : "") : "flat")));
          tr.appendChild(el("td", x.delta ? (x.delta.rank > 0 ? "↑" + x.delta.rank : x.delta.rank < 0 ? "↓" + -x.delta.rank : "—") : "",
            "num " + (x.delta && x.delta.rank > 0 ? "up" : x.delta && x.delta.rank < 0 ? "down" : "")));
          var cell = el("td");
          if (x.bottom20) cell.appendChild(el("span", "后20%", "tag"));
          tr.appendChild(cell);
          tbody.appendChild(tr);
        });
        if (!body.rows.length) tbody.appendChild(row(["没有符合条件的村"], 8));
        var pages = Math.max(1, Math.ceil(body.total / state.perPage));
        document.getElementById("ranking-summary").textContent =
          "共 " + body.total + " 个村（全榜中位数 " + fixed(body.median) + "）";
        document.getElementById("page-label").textContent = "第 " + state.page + " / " + pages + " 页";
        document.getElementById("prev").disabled = state.page <= 1;
        document.getElementById("next").disabled = state.page >= pages;
      });
  }
  function row(cells, span) {
    var tr = el("tr");
    cells.forEach(function (c) { var td = el("td", c, "empty"); td.colSpan = span; tr.appendChild(td); });
    return tr;
  }
  if (filters) {
    var timer = null;
    filters.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () { state.page = 1; loadRanking(); }, 250);
    });
    filters.addEventListener("submit", function (e) { e.preventDefault(); state.page = 1; loadRanking(); });
    document.getElementById("prev").addEventListener("click", function () { state.page -= 1; loadRanking(); });
    document.getElementById("next").addEventListener("click", function () { state.page += 1; loadRanking(); });
    loadRanking();
  }

  /* import */
  var form = document.getElementById("import-form");
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var out = document.getElementById("import-result");
    var button = form.querySelector("button");
    out.textContent = "正在导入……";
    button.disabled = true;
    fetch(api + "/values", { method: "POST", body: new FormData(form), headers: HEADERS, credentials: "same-origin" })
      .then(function (r) { return r.json().then(function (b) { return [r.ok, b]; }); })
      .then(function (res) {
        var body = res[1];
        button.disabled = false;
        out.textContent = "";
        if (res[0]) {
          out.appendChild(el("p", "导入成功：" + body.villages + " 个村，数据第 " + body.revision + " 版，评出红旗 " + body.flags + " 面。正在刷新……", "ok-message"));
          window.setTimeout(function () { window.location.reload(); }, 1200);
          return;
        }
        out.appendChild(el("p", errorText(body, "导入失败"), "error-message"));
        var cells = body.error && body.error.cells;
        if (!cells || !cells.length) return;
        var table = el("table", null, "data errors");
        table.appendChild(el("caption", cells.length < body.error.total ? "以下列出前 " + cells.length + " 处（共 " + body.error.total + " 处）" : "请改正以下各处后重新上传"));
        var head = el("tr");
        ["行", "列", "问题"].forEach(function (t) { head.appendChild(el("th", t)); });
        table.appendChild(el("thead")).appendChild(head);
        var tbody = table.appendChild(el("tbody"));
        // villages missing from the file: one line listing them, not one line each
        var missing = cells.filter(function (c) { return c.row === 0 && /^缺少村“/.test(c.message); });
        cells = cells.filter(function (c) { return missing.indexOf(c) < 0; });
        if (missing.length) {
          var names = missing.map(function (c) { return c.message.replace(/^缺少村“(.*)”（(.*)）的数据$/, "$1 $2"); });
          cells.push({ row: 0, column: "village", message: "文件中缺少 " + missing.length + " 个村的数据：" + names.join("、") });
        }
        cells.forEach(function (c) {
          var tr = el("tr");
          tr.appendChild(el("td", c.row === 0 ? "整个文件" : "第 " + c.row + " 行", "num"));
          tr.appendChild(el("td", c.column));
          tr.appendChild(el("td", c.message));
          tbody.appendChild(tr);
        });
        var wrap = el("div", null, "scroll");
        wrap.appendChild(table);
        out.appendChild(wrap);
      })
      .catch(function () { button.disabled = false; out.textContent = "网络错误，请重试"; });
  });

  /* follow-ups */
  var followTable = document.getElementById("follow-ups");
  var statusOptions = document.getElementById("status-options");
  function input(name, value, type) {
    var node = el(type === "textarea" ? "textarea" : "input");
    if (type !== "textarea") node.type = type || "text";
    node.name = name;
    node.value = value || "";
    node.setAttribute("aria-label", { leader: "跟进领导", measures: "措施", started_on: "开始日期", due_on: "完成时限" }[name]);
    if (type === "date") { // a text box: type=date shows "mm/dd/yyyy" on an English system
      node.type = "text";
      node.inputMode = "numeric";
      node.maxLength = 10;
      node.placeholder = "年-月-日";
      node.autocomplete = "off";
      node.className = "date";
    }
    return node;
  }
  function dateProblem(text) {
    if (!text) return "";
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
    var day = m && new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
    var ok = day && day.getUTCFullYear() === +m[1] && day.getUTCMonth() === +m[2] - 1 && day.getUTCDate() === +m[3];
    return ok ? "" : "日期格式为 年-月-日，如 2025-09-20";
  }
  function loadFollowUps() {
    if (!followTable) return;
    fetch(api + "/followups", { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (body) {
      var tbody = followTable.querySelector("tbody");
      tbody.textContent = "";
      (body.rows || []).forEach(function (x) {
        var tr = el("tr");
        tr.dataset.village = x.village;
        // one cell for who the village is, so the row fits 1024 px with its 保存 button
        var who = tr.appendChild(el("td", null, "who"));
        who.appendChild(el("div", x.name, "strong"));
        who.appendChild(el("div", "第" + x.rank + "名 · " + x.township + " · 指数 " + fixed(x.index), "hint"));
        tr.appendChild(el("td")).appendChild(input("leader", x.leader));
        tr.appendChild(el("td")).appendChild(input("measures", x.measures, "textarea"));
        var select = el("select");
        select.name = "status";
        select.setAttribute("aria-label", "状态");
        select.innerHTML = statusOptions.innerHTML;
        select.value = x.status;
        tr.appendChild(el("td")).appendChild(select);
        var dates = tr.appendChild(el("td", null, "dates"));
        dates.appendChild(el("span", "开始", "hint"));
        dates.appendChild(input("started_on", x.started_on, "date"));
        dates.appendChild(el("span", "时限", "hint"));
        dates.appendChild(input("due_on", x.due_on, "date"));
        var dateNote = dates.appendChild(el("span", "", "error-message date-problem"));
        dates.addEventListener("input", function () { // checked as typed, both boxes at once
          var bad = [];
          dates.querySelectorAll("input.date").forEach(function (f) {
            var p = dateProblem(f.value.trim());
            f.setAttribute("aria-invalid", p ? "true" : "false");
            if (p) bad.push(f.getAttribute("aria-label") + "：" + p);
          });
          dateNote.textContent = bad.join("；");
        });
        var cell = el("td");
        var save = el("button", "保存", "primary");
        save.type = "button";
        var note = el("div", x.updated_by ? "最后修改：" + x.updated_by.replace(/^[a-z]+:/, "") : "", "hint");
        save.addEventListener("click", function () { saveFollowUp(tr, note); });
        cell.appendChild(save);
        cell.appendChild(note);
        tr.appendChild(cell);
        tbody.appendChild(tr);
      });
    });
  }
  function saveFollowUp(tr, note) {
    var data = {};
    tr.querySelectorAll("input, textarea, select").forEach(function (f) { data[f.name] = f.value || null; });
    data.status = data.status || "待跟进";
    fetch(api + "/followups/" + encodeURIComponent(tr.dataset.village), {
      method: "PUT", credentials: "same-origin",
      headers: Object.assign({ "Content-Type": "application/json" }, HEADERS), body: JSON.stringify(data)
    }).then(function (r) { return r.json().then(function (b) { return [r.ok, b]; }); }).then(function (res) {
      var labels = { leader: "跟进领导", measures: "措施", status: "状态", started_on: "开始日期", due_on: "完成时限" };
      if (res[0]) { note.textContent = "已保存"; note.className = "ok-message"; return; }
      var e = res[1].error || {};
      note.textContent = (labels[e.field] ? labels[e.field] + "：" : "") + (e.message || "保存失败");
      note.className = "error-message";
    });
  }
  loadFollowUps();
})();
