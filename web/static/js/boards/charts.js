/* Plotly charts of the index board pages (plotly.min.js is served by Arena itself, loaded by
 * charts.js after the page's own figures). */
"use strict";
window.BoardCharts = (function () {
  var FONT = { family: "Noto Sans CJK SC, Source Han Sans SC, PingFang SC, Microsoft YaHei, sans-serif" };
  var CONFIG = { displayModeBar: false, responsive: true, locale: "zh-CN" };

  function readJson(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  /* A histogram of the index from pre-counted bins, the median marked by a dashed line. With `u`
   * (one design pixel of a hall screen, screen-fit.js) every size scales with the screen and the
   * axes carry few enough ticks that no two labels touch. */
  function histogram(target, h, fontSize, u) {
    var size = fontSize || 14;
    var mids = [], widths = [], labels = [];
    for (var i = 0; i < h.counts.length; i++) {
      mids.push((h.edges[i] + h.edges[i + 1]) / 2);
      widths.push(h.edges[i + 1] - h.edges[i]);
      labels.push(h.edges[i].toFixed(2) + "–" + h.edges[i + 1].toFixed(2) + "：" + h.counts[i] + " 个村");
    }
    var top = Math.max.apply(null, h.counts.concat([1]));
    var trace = { type: "bar", x: mids, y: h.counts, width: widths, marker: { color: "#c8161d" },
      hovertext: labels, hoverinfo: "text", name: "村数" };
    var px = function (n) { return u ? Math.round(n * u) : n; };
    var layout = {
      font: Object.assign({ size: size }, FONT),
      margin: u ? { l: px(96), r: px(24), t: px(8), b: px(88) } : { l: 56, r: 20, t: 10, b: 44 },
      xaxis: { title: { text: "指数", standoff: px(6) }, range: [h.edges[0], h.edges[h.edges.length - 1]],
        nticks: u ? 6 : 0, automargin: !u },
      yaxis: { title: { text: "村数", standoff: px(6) }, rangemode: "tozero", automargin: !u },
      bargap: 0.05, showlegend: false, paper_bgcolor: "rgba(0,0,0,0)", plot_bgcolor: "rgba(0,0,0,0)",
      shapes: [{ type: "line", x0: h.median, x1: h.median, y0: 0, y1: top * 1.08, line: { color: "#f2b705", width: px(4), dash: "dash" } }],
      annotations: [{ x: h.median, y: top * 1.08, text: "中位数 " + h.median.toFixed(2), showarrow: false,
        yanchor: "bottom", font: { color: "#8a5a00", size: u ? size : size + 2 } }]
    };
    layout.yaxis.range = [0, top * (u ? 1.45 : 1.3)];
    if (u) { // whole numbers of villages, no 0 beside the x axis's first label
      var step = Math.max(1, Math.ceil(top / 3));
      layout.yaxis.tickvals = [];
      for (var v = step; v <= top; v += step) layout.yaxis.tickvals.push(v);
    }
    var config = u ? Object.assign({}, CONFIG, { staticPlot: true }) : CONFIG;
    ArenaCharts.draw(target, function () { window.Plotly.react(target, [trace], layout, config); });
  }

  /* A village's index (line) and rank (dots, right axis, 1 at the top) across periods. */
  function trend(target, points) {
    var periods = points.map(function (p) { return p.period; });
    var most = Math.max.apply(null, points.map(function (p) { return p.index; }).concat([1]));
    var of = Math.max.apply(null, points.map(function (p) { return p.of; }));
    var layout = {
      font: Object.assign({ size: 13 }, FONT), margin: { l: 50, r: 50, t: 10, b: 40 },
      xaxis: { type: "category", title: { text: "期次" } },
      yaxis: { title: { text: "指数" }, range: [0, most * 1.25] },
      yaxis2: { title: { text: "名次（1 为最好）" }, overlaying: "y", side: "right", range: [of + 1, 0],
        tickformat: "d", showgrid: false },
      legend: { orientation: "h", y: -0.3 }, paper_bgcolor: "rgba(0,0,0,0)"
    };
    var traces = [
      { type: "scatter", mode: "lines+markers+text", x: periods, y: points.map(function (p) { return p.index; }),
        text: points.map(function (p) { return p.index.toFixed(2); }), textposition: "top center",
        name: "指数", line: { color: "#c8161d", width: 3 } },
      { type: "scatter", mode: "markers", x: periods, y: points.map(function (p) { return p.rank; }), yaxis: "y2",
        name: "名次", marker: { color: "#f2b705", size: 11, line: { color: "#8a5a00", width: 1 } },
        hovertext: points.map(function (p) { return "第 " + p.rank + " 名 / " + p.of; }), hoverinfo: "text" }
    ];
    ArenaCharts.draw(target, function () { window.Plotly.newPlot(target, traces, layout, CONFIG); });
  }

  return { readJson: readJson, histogram: histogram, trend: trend };
})();
