/* Meeting screen (大屏): the live ranking with FLIP reordering, a stacked chart, progress. */
(function () {
  "use strict";

  var stage = document.getElementById("stage");
  var rowsEl = document.getElementById("rows");
  var fmt = ArenaLive.formatNumber;
  var STATUS = { open: "评分进行中", locked: "评分已锁定", published: "结果已公布" };
  var lastKey = null;
  var lastShown = null;

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function deltaCell(row) {
    var cell = el("span", "c-delta");
    if (!row.delta) {
      cell.appendChild(el("span", "d-none", "首次参评"));
      return cell;
    }
    var r = row.delta.rank;
    var t = row.delta.total;
    var arrow = el("span", "d-rank " + (r > 0 ? "up" : r < 0 ? "down" : "same"),
      r > 0 ? "▲" + r : r < 0 ? "▼" + -r : "—");
    arrow.title = r > 0 ? "名次上升" : r < 0 ? "名次下降" : "名次不变";
    cell.appendChild(arrow);
    cell.appendChild(el("span", "d-total " + (t > 0 ? "up" : t < 0 ? "down" : "same"),
      (t > 0 ? "+" : "") + fmt(t)));
    return cell;
  }

  function rowNode(row) {
    var li = el("li", "row");
    li.dataset.key = row.village;
    li.dataset.village = row.village;
    if (row.rank <= 3) li.classList.add("top" + row.rank);
    li.appendChild(el("span", "c-rank", String(row.rank)));
    var name = el("span", "c-name");
    name.appendChild(el("span", "v-name", row.name));
    name.appendChild(el("span", "v-town", row.township));
    li.appendChild(name);
    li.appendChild(el("span", "c-num shared", fmt(row.shared)));
    li.appendChild(el("span", "c-num demonstration", fmt(row.demonstration)));
    li.appendChild(el("span", "c-num satisfaction", fmt(row.satisfaction)));
    li.appendChild(el("span", "c-num deductions" + (row.deductions > 0 ? " neg" : ""),
      row.deductions > 0 ? "−" + fmt(row.deductions) : fmt(0)));
    var total = el("span", "c-total");
    total.appendChild(el("b", "total", fmt(row.total)));
    if (row.provisional) {
      var tag = el("span", "provisional", "暂定");
      tag.title = "评分表未收齐：已收 " + row.sheets_in + " / " + row.sheets_expected;
      total.appendChild(tag);
    }
    li.appendChild(total);
    li.appendChild(deltaCell(row));
    return li;
  }

  function hiddenNode(index) {
    var li = el("li", "row hidden-row");
    li.dataset.key = "hidden-" + index;
    li.appendChild(el("span", "c-rank", "？"));
    li.appendChild(el("span", "c-name", "待揭晓"));
    return li;
  }

  /* FLIP: remember where rows were, put them where they belong, then animate from old to new. */
  function render(nodes) {
    var first = {};
    Array.prototype.forEach.call(rowsEl.children, function (node) {
      first[node.dataset.key] = node.getBoundingClientRect().top;
    });
    rowsEl.replaceChildren.apply(rowsEl, nodes);
    nodes.forEach(function (node) {
      var before = first[node.dataset.key];
      var dy = before === undefined ? 0 : before - node.getBoundingClientRect().top;
      if (before === undefined) node.classList.add("entering");
      if (dy) {
        node.style.transition = "none";
        node.style.transform = "translateY(" + dy + "px)";
      }
    });
    void rowsEl.offsetHeight; // commit the inverted positions before playing
    nodes.forEach(function (node) {
      node.style.transition = "";
      node.style.transform = "";
      node.classList.remove("entering");
    });
  }

  function sizeRows(count) {
    var head = rowsEl.parentElement.querySelector(".row.head");
    var available = rowsEl.parentElement.clientHeight - head.offsetHeight - 12;
    var slot = Math.floor(available / Math.max(count, 1)) - 6; // 6px gap between rows
    var height = Math.max(40, Math.min(104, slot));
    stage.style.setProperty("--row-h", height + "px");
  }

  function drawChart(rows) {
    var names = rows.map(function (r) { return r.name; }).reverse();
    var pick = function (key, sign) {
      return rows.map(function (r) { return sign * r[key]; }).reverse();
    };
    var series = [
      ["共性目标", "shared", 1, "#e8453c"],
      ["示范目标", "demonstration", 1, "#f2b705"],
      ["满意度", "satisfaction", 1, "#3fa7f5"],
      ["扣分", "deductions", -1, "#9aa5b1"],
    ];
    var traces = series.map(function (s) {
      return {
        type: "bar", orientation: "h", name: s[0], y: names, x: pick(s[1], s[2]),
        marker: { color: s[3] }, hovertemplate: s[0] + "：%{x:.2f}<extra></extra>",
      };
    });
    var layout = {
      barmode: "relative", paper_bgcolor: "rgba(0,0,0,0)", plot_bgcolor: "rgba(0,0,0,0)",
      font: { family: getComputedStyle(document.body).fontFamily, color: "#e9eef6", size: 22 },
      margin: { l: 150, r: 30, t: 10, b: 90 },
      legend: { orientation: "h", x: 0, y: -0.08, font: { size: 22 } },
      xaxis: { gridcolor: "rgba(255,255,255,0.15)", zerolinecolor: "#fff", zerolinewidth: 2,
               tickfont: { size: 20 } },
      yaxis: { tickfont: { size: 24 }, automargin: true },
      transition: { duration: 500, easing: "cubic-in-out" },
    };
    if (window.Plotly) {
      Plotly.react("chart", traces, layout, { displayModeBar: false, staticPlot: true,
        responsive: true });
    }
  }

  function show(data) {
    var reveal = data.reveal;
    var rows = data.rows || [];
    var nodes = [];
    var hidden = reveal ? reveal.hidden : 0;
    for (var i = 0; i < hidden; i++) nodes.push(hiddenNode(i));
    rows.forEach(function (row) { nodes.push(rowNode(row)); });
    sizeRows(nodes.length);
    render(nodes);
    document.getElementById("empty").hidden = nodes.length > 0;
    drawChart(rows);

    var badge = document.getElementById("reveal-badge");
    badge.hidden = !reveal;
    if (reveal) {
      badge.textContent = reveal.hidden === 0 ? "名次揭晓完毕"
        : "名次揭晓中 · 已揭晓 " + reveal.revealed + " / " + reveal.count;
    }
    stage.classList.toggle("revealing", !!reveal);
    document.getElementById("status-badge").textContent = STATUS[data.round.status] || "";
    var expected = data.sheets_expected || 0;
    var ratio = expected ? data.sheets_in / expected : 0;
    document.getElementById("progress-fill").style.width = Math.round(ratio * 100) + "%";
    document.getElementById("progress-text").textContent =
      "已收 " + data.sheets_in + " / " + expected + " 份" + (data.complete ? " · 全部收齐" : "");
    document.getElementById("audit-hash").textContent = (data.audit_hash || "").slice(0, 12);
    var key = JSON.stringify([data.revision, reveal]);
    if (key !== lastKey) {
      lastKey = key;
      lastShown = new Date();
      document.getElementById("updated-at").textContent = ArenaLive.formatTime(lastShown);
    }
    stage.dataset.revision = String(data.revision);
  }

  function connection(state, info) {
    var conn = document.getElementById("conn");
    conn.dataset.state = state;
    var text = { live: "实时", connecting: "连接中…", offline: "连接中断，正在重连…" }[state];
    if (state !== "live" && info.since && lastShown) {
      text += "（数据截至 " + ArenaLive.formatTime(lastShown) + "）";
    }
    document.getElementById("conn-text").textContent = text;
    stage.classList.toggle("stale", state === "offline");
  }

  ArenaLive.open(stage.dataset.channel, {
    heartbeatSeconds: Number(stage.dataset.heartbeat) || 15,
    onData: show,
    onState: connection,
  });
})();
