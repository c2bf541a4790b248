/* Participant page (村书记手机): the village's own breakdown, live over its village channel. */
(function () {
  "use strict";

  var app = document.getElementById("app");
  var fmt = ArenaLive.formatNumber;
  var PAPERS = [["shared", "共性目标"], ["demonstration", "示范目标"],
    ["satisfaction", "满意度测评"], ["deductions", "扣分项"]];
  var lastKey = null;
  var lastShown = null;

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function put(id, text) {
    document.getElementById(id).textContent = text;
  }

  // Explain my score: a figure opens into the arithmetic that made it (lines from the server,
  // the same numbers as the workbook; judges only as 评委n).
  function explainBox(title, lines, key) {
    var box = el("details", "explain");
    if (key) box.dataset.explain = key;
    box.appendChild(el("summary", null, title));
    var list = el("ol", "explain-lines");
    (lines || []).forEach(function (line) { list.appendChild(el("li", null, line)); });
    box.appendChild(list);
    return box;
  }

  function explainHero(b) {
    var box = document.getElementById("explain-hero");
    if (!box) return;
    box.replaceChildren();
    if (!b.explain || b.rank_hidden) return;
    box.appendChild(explainBox("总分怎么算", b.explain.total, "total"));
    box.appendChild(explainBox("名次怎么定", b.explain.rank, "rank"));
    box.appendChild(explainBox("与上一轮比", b.explain.delta, "delta"));
  }

  function summary(b) {
    put("total", fmt(b.total));
    put("rank", b.rank_hidden ? "待揭晓" : String(b.rank));
    put("rank-of", b.rank_hidden ? "" : "/ " + b.rank_of);
    document.getElementById("provisional").hidden = !b.provisional;
    var delta = document.getElementById("delta");
    delta.replaceChildren();
    if (b.rank_hidden) {
      delta.appendChild(el("span", "same", "名次将在通报会上逐名揭晓"));
      return;
    }
    if (!b.delta) {
      delta.appendChild(el("span", "same", "首次参评，暂无上一轮对比"));
      return;
    }
    var r = b.delta.rank;
    var t = b.delta.total;
    delta.appendChild(el("span", "label", "较上一轮"));
    var rank = el("span", "d-rank " + (r > 0 ? "up" : r < 0 ? "down" : "same"),
      r > 0 ? "名次 ▲" + r : r < 0 ? "名次 ▼" + -r : "名次持平");
    rank.dataset.value = String(r);
    delta.appendChild(rank);
    var total = el("span", "d-total " + (t > 0 ? "up" : t < 0 ? "down" : "same"),
      "总分 " + (t > 0 ? "+" : "") + fmt(t));
    total.dataset.value = String(t);
    delta.appendChild(total);
  }

  function weak(b) {
    var list = document.getElementById("weak");
    list.replaceChildren();
    b.weak_items.forEach(function (w) {
      var li = el("li", "weak-item");
      li.dataset.code = w.paper + ":" + w.code;
      li.appendChild(el("span", "w-name", w.name));
      li.appendChild(el("span", "w-fig", "得分率 " + Math.round(w.ratio * 100) + "%，全轮中位数 " +
        Math.round(w.median_ratio * 100) + "%"));
      list.appendChild(li);
    });
    if (!b.weak_items.length) list.appendChild(el("li", "muted", "暂无（评分尚未收齐）"));
  }

  function papersTable(b) {
    var table = document.getElementById("papers");
    table.replaceChildren();
    PAPERS.forEach(function (p) {
      var paper = b.papers[p[0]];
      var tr = el("tr");
      tr.dataset.paper = p[0];
      tr.appendChild(el("th", null, p[1]));
      var score = p[0] === "deductions" ? paper.total : paper.score;
      var cell = el("td", "num" + (p[0] === "deductions" && score > 0 ? " neg" : ""),
        (p[0] === "deductions" && score > 0 ? "−" : "") + fmt(score));
      cell.dataset.value = String(score);
      tr.appendChild(cell);
      var max = p[0] === "deductions" ? "上限 " + fmt(paper.cap) : "满分 " + fmt(paper.max);
      tr.appendChild(el("td", "muted", max));
      table.appendChild(tr);
      if (b.explain) {
        var e = b.explain.papers[p[0]];
        var how = el("tr", "explain-row");
        var td = el("td");
        td.colSpan = 3;
        td.appendChild(explainBox("怎么算的", Array.isArray(e) ? e : e.score, "paper-" + p[0]));
        how.appendChild(td);
        table.appendChild(how);
      }
    });
  }

  function judged(key, title, paper, explain) {
    var box = document.getElementById("paper-" + key);
    box.replaceChildren(el("h2", null, title + " " + fmt(paper.score) + " / " + fmt(paper.max)));
    box.appendChild(el("p", "note", paper.method_note));
    if (explain) box.appendChild(explainBox("卷面分怎么算", explain.score, "score"));
    var judges = el("ul", "judges");
    paper.judges.forEach(function (j) {
      var li = el("li", j.kept ? "kept" : "dropped");
      li.dataset.label = j.label;
      li.appendChild(el("span", "j-label", j.label));
      var total = el("span", "j-total", fmt(j.total));
      total.dataset.value = String(j.total);
      li.appendChild(total);
      if (j.proxy) li.appendChild(el("span", "j-proxy", "代录"));  // entered by the organiser
      if (!j.kept) li.appendChild(el("span", "j-why", j.why));
      judges.appendChild(li);
    });
    box.appendChild(judges);
    var items = el("ul", "items");
    paper.items.forEach(function (item) {
      var li = el("li", "item");
      li.dataset.code = item.code;
      var head = el("div", "i-head");
      head.appendChild(el("span", "i-name", item.name));
      var fig = el("span", "i-fig", fmt(item.mean) + " / " + fmt(item.max));
      fig.dataset.value = String(item.mean);
      head.appendChild(fig);
      li.appendChild(head);
      var bar = el("div", "bar");
      var fill = el("i");
      fill.style.width = (item.max ? Math.min(100, (item.mean / item.max) * 100) : 0) + "%";
      bar.appendChild(fill);
      li.appendChild(bar);
      if (explain && explain.items[item.code]) {
        li.appendChild(explainBox("怎么算的", explain.items[item.code], "item"));
      }
      items.appendChild(li);
    });
    box.appendChild(items);
    if (paper.comments.length) {
      box.appendChild(el("h3", null, "评委意见"));
      var comments = el("ul", "comments");
      paper.comments.forEach(function (c) {
        var li = el("li");
        li.appendChild(el("b", null, c.label + "："));
        li.appendChild(document.createTextNode(c.text));
        comments.appendChild(li);
      });
      box.appendChild(comments);
    }
  }

  function satisfaction(s) {
    var box = document.getElementById("paper-satisfaction");
    box.replaceChildren(el("h2", null, "满意度测评 " + fmt(s.score) + " / " + fmt(s.max)));
    if (s.source === "rate") {
      box.appendChild(el("p", "note", "采用外部测评满意率 " + fmt(s.rate) + "%"));
      return;
    }
    if (s.source === "none") {
      box.appendChild(el("p", "note", "未录入：满意度尚未录入，名次暂定（不按 0 分计）"));
      return;
    }
    box.appendChild(el("p", "note", "有效问卷 " + s.responses + " 份" +
      (s.insufficient ? "（少于 " + s.min_responses + " 份，样本不足）" : "")));
    if (s.survey_respondents) {
      var paper = s.paper_counts ? Object.keys(s.paper_counts).reduce(function (n, k) { return n + s.paper_counts[k]; }, 0) : 0;
      var split = el("p", "note", "其中村民手机测评 " + s.survey_respondents + " 份" +
        (paper ? "、纸质问卷 " + paper + " 份" : "") + (s.provisional ? "；测评进行中，得分暂定" : "；测评已结束"));
      split.id = "survey-split";
      box.appendChild(split);
    }
    var list = el("ul", "counts");
    Object.keys(s.scale).forEach(function (label) {
      var li = el("li");
      li.dataset.label = label;
      li.appendChild(el("span", null, label));
      var n = el("b", null, String(s.counts[label] || 0));
      n.dataset.value = String(s.counts[label] || 0);
      li.appendChild(n);
      list.appendChild(li);
    });
    box.appendChild(list);
  }

  function deductions(d) {
    var box = document.getElementById("paper-deductions");
    box.replaceChildren(el("h2", null, "扣分项 " + (d.total > 0 ? "−" : "") + fmt(d.total)));
    if (d.capped) box.appendChild(el("p", "note", "扣分合计 " + fmt(d.raw) + "，按上限 " +
      fmt(d.cap) + " 分计"));
    if (!d.entries.length) {
      box.appendChild(el("p", "note", "本轮无扣分"));
      return;
    }
    var list = el("ul", "deductions");
    d.entries.forEach(function (x) {
      var li = el("li");
      li.dataset.id = String(x.id);
      var head = el("div", "i-head");
      head.appendChild(el("span", "i-name", x.name));
      var pts = el("b", "neg", "−" + fmt(x.points));
      pts.dataset.value = String(x.points);
      head.appendChild(pts);
      li.appendChild(head);
      li.appendChild(el("p", "reason", x.reason));
      list.appendChild(li);
    });
    box.appendChild(list);
  }

  var plotConfig = { displayModeBar: false, staticPlot: true, responsive: true };
  function font() {
    return { family: getComputedStyle(document.body).fontFamily, size: 13, color: "#1d1d1f" };
  }

  function radar(axes) {
    ArenaCharts.draw("radar", function () { drawRadar(axes); });
  }

  function drawRadar(axes) {
    var names = axes.map(function (a) { return a.name; });
    var close = function (values) { return values.concat(values.slice(0, 1)); };
    var own = close(axes.map(function (a) { return a.ratio === null ? 0 : a.ratio * 100; }));
    var mean = close(axes.map(function (a) { return a.mean === null ? 0 : a.mean * 100; }));
    var theta = close(names);
    Plotly.react("radar", [
      { type: "scatterpolar", r: mean, theta: theta, name: "全轮平均", fill: "toself",
        line: { color: "#8a94a6" }, fillcolor: "rgba(138,148,166,0.15)" },
      { type: "scatterpolar", r: own, theta: theta, name: "本村", fill: "toself",
        line: { color: "#c8161d", width: 3 }, fillcolor: "rgba(200,22,29,0.18)" },
    ], { font: font(), margin: { l: 60, r: 60, t: 24, b: 56 }, showlegend: true,
      legend: { orientation: "h", x: 0.5, xanchor: "center", y: -0.2 },
      paper_bgcolor: "rgba(0,0,0,0)",
      polar: { radialaxis: { range: [0, 100], ticksuffix: "%", tickfont: { size: 10 } } } },
    plotConfig);
  }

  function trend(points) {
    ArenaCharts.draw("trend", function () { drawTrend(points); });
  }

  function drawTrend(points) {
    var x = points.map(function (p) { return p.name.replace(/试点拉练$/, ""); });
    Plotly.react("trend", [
      { type: "scatter", mode: "lines+markers+text", name: "总分", x: x,
        y: points.map(function (p) { return p.total; }),
        text: points.map(function (p) { return fmt(p.total); }), textposition: "top center",
        line: { color: "#c8161d", width: 3 } },
      { type: "scatter", mode: "lines+markers", name: "名次", x: x, yaxis: "y2",
        y: points.map(function (p) { return p.rank; }), line: { color: "#2563eb", dash: "dot" } },
    ], { font: font(), margin: { l: 40, r: 40, t: 20, b: 40 }, paper_bgcolor: "rgba(0,0,0,0)",
      plot_bgcolor: "rgba(0,0,0,0)", legend: { orientation: "h", y: -0.25 },
      yaxis: { title: { text: "总分" }, range: [0, 110] },
      yaxis2: { title: { text: "名次" }, overlaying: "y", side: "right", dtick: 1,
        range: [Math.max.apply(null, points.map(function (p) { return p.of; })) + 0.5, 0.5] } },
    plotConfig);
  }

  // 本村名次走势（当天）: the village's place after each stop, from the day's replay (an SVG line).
  var dayKey = null;
  function dayPlaces(b) {
    var key = JSON.stringify([b.total, b.rank, b.sheets_in]);
    var card = document.getElementById("day-card");
    if (!card || key === dayKey) return;
    dayKey = key;
    fetch(card.dataset.src, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (r) { return r.json().then(function (body) { return { ok: r.ok, body: body }; }); })
      .then(function (a) {
        var box = document.getElementById("day");
        if (!a.ok) { box.replaceChildren(el("p", "muted", (a.body.error || {}).message || "暂不可查看")); return; }
        var pts = a.body.places.filter(function (p) { return p.rank !== null; });
        if (!pts.length) { box.replaceChildren(el("p", "muted", "本村还没有评分。")); return; }
        var n = a.body.count, w = 320, h = 150, left = 28, top = 14, step = (w - left - 14) / Math.max(1, pts.length - 1);
        var y = function (rank) { return top + (h - top - 26) * (n > 1 ? (rank - 1) / (n - 1) : 0); };
        var ns = "http://www.w3.org/2000/svg";
        var svg = document.createElementNS(ns, "svg");
        svg.setAttribute("viewBox", "0 0 " + w + " " + h);
        svg.setAttribute("role", "img");
        svg.style.width = "100%";
        svg.style.maxWidth = "560px";
        svg.setAttribute("aria-label", "本村当天名次：" + pts.map(function (p) { return p.rank; }).join("、"));
        var line = pts.map(function (p, i) { return (left + i * step).toFixed(1) + "," + y(p.rank).toFixed(1); }).join(" ");
        var path = document.createElementNS(ns, "polyline");
        path.setAttribute("points", line);
        path.setAttribute("fill", "none");
        path.setAttribute("stroke", "#b3121a");
        path.setAttribute("stroke-width", "2.5");
        svg.appendChild(path);
        [1, n].forEach(function (r) {
          var t = document.createElementNS(ns, "text");
          t.setAttribute("x", "2"); t.setAttribute("y", String(y(r) + 4)); t.setAttribute("font-size", "10"); t.setAttribute("fill", "#667");
          t.textContent = "第" + r; svg.appendChild(t);
        });
        pts.forEach(function (p, i) {
          var c = document.createElementNS(ns, "circle");
          c.setAttribute("cx", String(left + i * step)); c.setAttribute("cy", String(y(p.rank))); c.setAttribute("r", "3.5");
          c.setAttribute("fill", i === pts.length - 1 ? "#b3121a" : "#fff"); c.setAttribute("stroke", "#b3121a");
          svg.appendChild(c);
          if (i === 0 || i === pts.length - 1 || pts[i - 1].rank !== p.rank) {
            var t = document.createElementNS(ns, "text");
            t.setAttribute("x", String(left + i * step)); t.setAttribute("y", String(y(p.rank) - 6));
            t.setAttribute("font-size", "11"); t.setAttribute("text-anchor", "middle"); t.setAttribute("fill", "#222");
            t.textContent = String(p.rank); svg.appendChild(t);
          }
        });
        var first = document.createElementNS(ns, "text"), last = document.createElementNS(ns, "text");
        first.setAttribute("x", String(left)); last.setAttribute("x", String(w - 14));
        [first, last].forEach(function (t) { t.setAttribute("y", String(h - 4)); t.setAttribute("font-size", "10"); t.setAttribute("fill", "#667"); });
        last.setAttribute("text-anchor", "end");
        first.textContent = pts[0].clock || ""; last.textContent = pts[pts.length - 1].clock || "";
        svg.appendChild(first); svg.appendChild(last);
        box.replaceChildren(svg);
        box.dataset.places = pts.map(function (p) { return p.rank; }).join(",");
      })
      .catch(function () { dayKey = null; });
  }

  function withhold(b) {
    // The results meeting is revealing places: nothing that would give this village's away.
    put("total", "待揭晓");
    put("rank", "待揭晓");
    put("rank-of", "");
    document.getElementById("provisional").hidden = true;
    var delta = document.getElementById("delta");
    delta.replaceChildren(el("span", "same", "名次将在通报会上逐名揭晓"));
    put("audit-hash", (b.audit_hash || "").slice(0, 12));
  }

  function show(data) {
    var b = data.breakdown;
    document.getElementById("withheld").hidden = !b.withheld;
    document.getElementById("cards").hidden = !!b.withheld;
    if (b.withheld) {
      withhold(b);
      lastKey = null;
      app.dataset.ready = "true";
      return;
    }
    summary(b);
    weak(b);
    papersTable(b);
    var ex = b.explain ? b.explain.papers : {};
    judged("shared", "共性目标", b.papers.shared, ex.shared);
    judged("demonstration", "示范目标", b.papers.demonstration, ex.demonstration);
    satisfaction(b.papers.satisfaction);
    deductions(b.papers.deductions);
    if (ex.satisfaction) document.getElementById("paper-satisfaction").appendChild(explainBox("得分怎么算", ex.satisfaction, "satisfaction"));
    if (ex.deductions) document.getElementById("paper-deductions").appendChild(explainBox("扣分怎么算", ex.deductions, "deductions"));
    explainHero(b);
    radar(data.profile);
    trend(data.trend);
    dayPlaces(b);
    put("audit-hash", (b.audit_hash || "").slice(0, 12));
    var key = JSON.stringify([b.total, b.rank, b.sheets_in, b.papers.deductions.total]);
    if (key !== lastKey) {
      lastKey = key;
      lastShown = new Date();
      put("updated-at", ArenaLive.formatTime(lastShown));
    }
    app.dataset.ready = "true";
  }

  function connection(state) {
    var conn = document.getElementById("conn");
    conn.dataset.state = state;
    put("conn-text", { live: "实时", connecting: "连接中…", offline: "网络中断，正在重连…" }[state]);
  }

  // The page arrives with the village's figures in it: shown at once, before the live channel's
  // handshakes (several round trips on rural signal); the channel's snapshot then takes over.
  var initial = document.getElementById("initial");
  if (initial) {
    try {
      show(JSON.parse(initial.textContent));
    } catch (e) {
      /* the live snapshot follows */
    }
  }

  // The village channel carries "changed" hints; the breakdown itself comes with a resync.
  var channel = ArenaLive.open(app.dataset.channel, {
    heartbeatSeconds: Number(app.dataset.heartbeat) || 15,
    onData: function (data, type) {
      if (type === "changed") {
        channel.resync();
        return;
      }
      show(data);
    },
    onState: connection,
  });
})();
