/* Meeting screen (大屏): the live ranking fitted to any screen, paged when long, FLIP reordering,
 * the bottom 20% marked, the change since the last round charted beside it. */
(function () {
  "use strict";

  var stage = document.getElementById("stage");
  var rowsEl = document.getElementById("rows");
  var fmt = ArenaLive.formatNumber;
  var STATUS = { open: "评分进行中", locked: "评分已锁定", published: "结果已公布" };
  var SUB = { bottom20: "后20%", top10: "前十名" };
  var layout = stage.dataset.layout || "auto";
  var pageSeconds = Number(stage.dataset.pageSeconds) || 12;
  var latest = null;
  var lastKey = null;
  var lastShown = null;
  var page = 0;
  var pages = [[0, 0]];
  var shownPage = -1;
  var lastRevealed = null;

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  /* One design pixel in CSS pixels, as screen.css computes --u. */
  function unit() {
    var w = window.innerWidth, h = window.innerHeight;
    if (w / h <= 1) return Math.min(w / 1080, h / 1920);
    if (w / h <= 1.6) return Math.min(w / 1400, h / 1050);
    return Math.min(w / 1920, h / 1080);
  }

  function mode(rows) {
    var aspect = window.innerWidth / window.innerHeight;
    if (layout === "full" || layout === "bottom20" || layout === "top10") return "table";
    var changes = rows.some(function (r) { return r.delta; });
    if (layout === "auto" && !changes) return "table";
    if (aspect <= 1) return "portrait";
    return aspect >= 1.6 || layout === "chart" ? "chart" : "table";
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
    if (row.bottom20) li.classList.add("bottom20");
    li.appendChild(el("span", "c-rank", String(row.rank)));
    var name = el("span", "c-name");
    name.appendChild(el("span", "v-name", row.name));
    name.appendChild(el("span", "v-town", row.township));
    li.appendChild(name);
    li.appendChild(el("span", "c-num shared", fmt(row.shared)));
    li.appendChild(el("span", "c-num demonstration", fmt(row.demonstration)));
    li.appendChild(el("span", "c-num satisfaction", row.satisfaction_missing ? "未录入" : fmt(row.satisfaction)));
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

  function bottomLine(n) {
    var li = el("li", "bottom-line", "后20%（" + n + " 个村）");
    li.dataset.key = "bottom-line";
    li.setAttribute("aria-label", "以下为后20%");
    return li;
  }

  /* FLIP: remember where rows were, put them where they belong, then animate from old to new. */
  function place(nodes, animate) {
    var first = {};
    if (animate) {
      Array.prototype.forEach.call(rowsEl.children, function (node) {
        first[node.dataset.key] = node.getBoundingClientRect().top;
      });
    }
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

  /* Rows as large as fit; below the readable minimum, as many as fit and pages for the rest. */
  function fit(entries, bottomStart) {
    var u = unit();
    var gap = 6 * u, minRow = 58 * u, maxRow = 104 * u, line = 40 * u;
    var available = rowsEl.clientHeight - 2;
    var count = Math.max(entries.length, 1);
    var lined = bottomStart !== null ? line : 0;
    var slot = (available - lined) / count - gap;
    if (slot >= minRow) return { rowH: Math.min(maxRow, slot), perPage: count };
    var perPage = Math.max(1, Math.floor((available - line) / (minRow + gap)));
    return { rowH: Math.min(maxRow, (available - line) / perPage - gap), perPage: perPage };
  }

  function entriesOf(data) {
    var reveal = data.reveal;
    var hidden = reveal ? reveal.hidden : 0;
    var entries = [];
    for (var i = 0; i < hidden; i++) entries.push({ hidden: i });
    var rows = data.rows || [];
    if (layout === "bottom20") rows = rows.filter(function (r) { return r.bottom20; });
    rows.forEach(function (row) { entries.push({ row: row }); });
    if (layout === "top10") entries = entries.slice(0, 10);
    return entries;
  }

  function bottomStartOf(entries) {
    for (var i = 0; i < entries.length; i++) {
      if (entries[i].row && entries[i].row.bottom20) return i;
    }
    return null;
  }

  function draw(animate) {
    if (!latest) return;
    var data = latest;
    var rows = data.rows || [];
    stage.dataset.mode = mode(rows);
    var entries = entriesOf(data);
    var bottomStart = layout === "top10" ? null : bottomStartOf(entries);
    var sized = fit(entries, bottomStart);
    stage.style.setProperty("--row-h", sized.rowH + "px");
    pages = ArenaPages.plan(entries.length, sized.perPage, bottomStart);
    var reveal = data.reveal;
    if (reveal && reveal.hidden > 0 && reveal.revealed !== lastRevealed) {
      // The reveal goes from last place up: show the page of the place just revealed.
      page = ArenaPages.pageOf(pages, Math.min(reveal.hidden, entries.length - 1));
    }
    lastRevealed = reveal ? reveal.revealed : null;
    page = Math.min(page, pages.length - 1);
    var span = pages[page];
    var nodes = [];
    var bottomCount = bottomStart === null ? 0 : entries.length - bottomStart;
    for (var i = span[0]; i < span[1]; i++) {
      if (i === bottomStart) nodes.push(bottomLine(bottomCount));
      var entry = entries[i];
      nodes.push(entry.row ? rowNode(entry.row) : hiddenNode(entry.hidden));
    }
    place(nodes, animate && shownPage === page);
    shownPage = page;
    document.getElementById("empty").hidden = entries.length > 0;
    stage.dataset.pages = String(pages.length);
    stage.dataset.page = String(page);
    pager();
    drawChart(span, entries);
  }

  function pager() {
    var box = document.getElementById("pager");
    // Hidden but still taking its place: the footer keeps one height, so the rows' room does not
    // change between the first drawing and the next page.
    box.style.visibility = pages.length < 2 ? "hidden" : "visible";
    document.getElementById("page-text").textContent = "第 " + (page + 1) + " / " + pages.length + " 页";
    var dots = [];
    for (var i = 0; i < pages.length; i++) dots.push(el("i", i === page ? "on" : ""));
    document.getElementById("page-dots").replaceChildren.apply(document.getElementById("page-dots"), dots);
  }

  function drawChart(span, entries) {
    if (stage.dataset.mode === "table") return;
    var rows = entries.slice(span[0], span[1]).filter(function (e) { return e.row; })
      .map(function (e) { return e.row; });
    var empty = document.getElementById("chart-empty");
    var chart = document.getElementById("chart");
    var note = pages.length > 1 ? "（本页 " + rows.length + " 个村）" : "";
    document.getElementById("chart-note").textContent = note;
    var message = "";
    if (!rows.length) message = latest.reveal ? "名次揭晓后显示" : "等待评分数据…";
    else if (!rows.some(function (r) { return r.delta; })) message = "首次参评，暂无上一轮对比";
    empty.hidden = !message;
    empty.textContent = message;
    chart.hidden = !!message;
    if (message) return;
    var ordered = rows.slice().reverse(); // Plotly draws the first bar at the bottom
    var values = ordered.map(function (r) { return r.delta ? r.delta.total : 0; });
    var u = unit();
    var trace = {
      type: "bar", orientation: "h", y: ordered.map(function (r) { return r.name; }), x: values,
      marker: { color: values.map(function (v) { return v > 0 ? "#ff5a4f" : v < 0 ? "#3ddc84" : "#9fb3cf"; }) },
      text: ordered.map(function (r) {
        return r.delta ? (r.delta.total > 0 ? "+" : "") + fmt(r.delta.total) : "首次";
      }),
      textposition: "outside", cliponaxis: false, hoverinfo: "skip",
      textfont: { size: Math.round(24 * u), color: "#e9eef6" },
    };
    var reach = Math.max.apply(null, values.map(Math.abs).concat([1])) * 1.7; // room for the labels
    var layoutSpec = {
      paper_bgcolor: "rgba(0,0,0,0)", plot_bgcolor: "rgba(0,0,0,0)", showlegend: false,
      font: { family: getComputedStyle(document.body).fontFamily, color: "#e9eef6", size: Math.round(24 * u) },
      margin: { l: Math.round(10 * u), r: Math.round(10 * u), t: Math.round(6 * u), b: Math.round(40 * u) },
      xaxis: { range: [-reach, reach], gridcolor: "rgba(255,255,255,0.15)", zerolinecolor: "#fff",
               zerolinewidth: 2, tickfont: { size: Math.round(24 * u) }, nticks: 5 },
      yaxis: { tickfont: { size: Math.round(24 * u) }, automargin: true, dtick: 1 },
      transition: { duration: 500, easing: "cubic-in-out" },
    };
    ArenaCharts.draw("chart", function () {
      Plotly.react("chart", [trace], layoutSpec, { displayModeBar: false, staticPlot: true,
        responsive: true });
    });
  }

  function show(data) {
    latest = data;
    // Header and footer first: their size decides how much room the rows have.
    var reveal = data.reveal;
    var badge = document.getElementById("reveal-badge");
    badge.hidden = !reveal;
    if (reveal) badge.textContent = "已揭晓 " + reveal.revealed + " / " + reveal.count;
    stage.classList.toggle("revealing", !!reveal);
    var status = STATUS[data.round.status] || "";
    if (reveal) status = reveal.hidden === 0 ? "名次揭晓完毕" : "名次揭晓中";
    document.getElementById("status-badge").textContent = status;
    document.getElementById("sub").textContent = SUB[layout] || "综合排名";
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
    draw(true);
  }

  function connection(state, info) {
    var conn = document.getElementById("conn");
    conn.dataset.state = state;
    var text = { live: "实时", connecting: "连接中…", offline: "连接中断，正在重连…" }[state];
    if (state !== "live" && info.since && lastShown) {
      text += "（数据截至 " + ArenaLive.formatTime(lastShown) + "）";
    }
    document.getElementById("conn-text").textContent = text;
    stage.classList.toggle("stale", state !== "live");
  }

  function turn() {
    page = (page + 1) % pages.length;
    draw(false);
  }

  // Long rankings turn their pages by themselves; a reveal in progress holds its page.
  setInterval(function () {
    if (!latest || pages.length < 2) return;
    if (latest.reveal && latest.reveal.hidden > 0) return;
    turn();
  }, pageSeconds * 1000);
  window.ArenaScreen = { turn: turn };

  var resizing = null;
  window.addEventListener("resize", function () {
    clearTimeout(resizing);
    resizing = setTimeout(function () { draw(false); }, 150);
  });

  ArenaLive.open(stage.dataset.channel, {
    heartbeatSeconds: Number(stage.dataset.heartbeat) || 15,
    onData: show,
    onState: connection,
  });
})();
