// 评委一致性（组织者）：每 3 秒读取一次，显示宽严度、一致性系数、评分模式、请核对和假设排名。
(function () {
  "use strict";
  const root = document.getElementById("consistency");
  const roundId = root.dataset.round;
  const PERIOD = 3000;
  const TERMS = [
    ["severity", "宽严度"], ["trimmed", "被去掉"], ["leniency", "宽严排序"], ["icc", "ICC"],
    ["kendall", "肯德尔 W"], ["patterns", "评分模式"], ["suspect", "请核对"], ["what_if", "假设排名"],
  ];

  function el(tag, attrs, text) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function num(x) {
    if (x === null || x === undefined) return "—";
    return (Math.round(x * 100) / 100).toFixed(2);
  }

  function signed(x) {
    if (x === null || x === undefined) return "—";
    return (x > 0 ? "+" : "") + num(x);
  }

  const clock = ArenaPoll.clock;

  function suspectLine(s) {
    return `${s.judge_name} · ${s.village_name} · ${s.paper_name}：总分 ${num(s.total)}，` +
      `其他 ${s.others} 位评委中位数 ${num(s.median_others)}，相差 ${signed(s.gap)}`;
  }

  function figure(key, name, value, reading) {
    const box = el("div", { class: "fig", "data-fig": key });
    box.append(el("span", { class: "name" }, name), el("b", { "data-value": String(value) }, num(value)),
      el("span", { class: "reading" }, reading));
    return box;
  }

  function paperSection(p) {
    const section = el("section", { class: "paper-review", "data-paper": p.paper });
    section.append(el("h2", {}, `${p.name}（满分 ${num(p.max)}）`));
    const a = p.agreement;
    const agree = el("div", { class: "agree" });
    agree.append(
      figure("icc_single", "ICC(2,1) 单个评委", a.icc_single, a.icc_single_reading),
      figure("icc_average", "ICC(2,k) 评委平均", a.icc_average, a.icc_average_reading),
      figure("kendall_w", "肯德尔 W 排序一致", a.kendall_w, a.kendall_w_reading));
    section.append(agree);
    let basis = a.villages ? `依据：评分齐全的 ${a.villages} 个村 × ${a.judges} 位评委` : "依据：评分齐全的村不足 2 个，暂不能计算";
    if (a.left_out_villages) basis += `；未计入 ${a.left_out_villages} 个缺评分的村`;
    if (a.left_out_judges.length) basis += `；未计入评委 ${a.left_out_judges.join("、")}（评分不齐）`;
    section.append(el("p", { class: "basis" }, basis));
    const wrap = el("div", { class: "table-wrap" });
    const table = el("table", { class: "ctable judges" });
    const head = el("tr");
    for (const [t, cls] of [["宽严排序", ""], ["评委", ""], ["宽严度", "num"], ["95% 区间", "num"],
      ["依据村数", "num"], ["被去掉（高/低）", "num"], ["评委效应", "num"], ["光环", "num"],
      ["全满分", "num"], ["请核对", "num"]]) {
      head.append(el("th", { scope: "col", class: cls }, t));
    }
    const thead = el("thead");
    thead.append(head);
    const body = el("tbody");
    for (const j of p.judges) {
      const tr = el("tr", { "data-judge": j.code });
      const cls = j.severity > 0 ? "num kind" : j.severity < 0 ? "num harsh" : "num";
      const interval = j.low === null ? "—" : `${signed(j.low)} ～ ${signed(j.high)}`;
      tr.append(
        el("td", { "data-col": "leniency" }, String(j.leniency)),
        el("th", { scope: "row" }, j.name),
        el("td", { class: cls, "data-col": "severity" }, signed(j.severity)),
        el("td", { class: "num", "data-col": "interval" }, interval),
        el("td", { class: "num", "data-col": "n" }, String(j.n)),
        el("td", { class: "num", "data-col": "trimmed" },
          `${j.trimmed} / ${j.sheets}（${j.trimmed_high}/${j.trimmed_low}）`),
        el("td", { class: "num", "data-col": "effect" }, signed(j.effect)),
        el("td", { class: "num", "data-col": "halo" }, String(j.halo)),
        el("td", { class: "num", "data-col": "all_max" }, String(j.all_max)),
        el("td", { class: j.suspects ? "num flag" : "num", "data-col": "suspects" }, String(j.suspects)));
      body.append(tr);
    }
    table.append(thead, body);
    wrap.append(table);
    section.append(wrap);
    if (p.patterns.length) {
      const list = el("ul", { class: "patterns" });
      for (const m of p.patterns) {
        list.append(el("li", { "data-kind": m.kind },
          `${m.judge_name} · ${m.village_name}：${m.kind_name}（每项 ${Math.round(m.fraction * 100)}%）`));
      }
      section.append(list);
    }
    return section;
  }

  function whatIf(w) {
    document.getElementById("whatif-note").textContent = w.applied
      ? "本轮已设置按评委宽严调整正式分数（adjust_judge_severity = true）"
      : "只供参考，正式分数不变";
    document.getElementById("whatif-changed").textContent = w.changed
      ? `去掉评委宽严影响后，有 ${w.changed} 个村的名次会变化（合计变动 ${w.places} 个名次）。`
      : "去掉评委宽严影响后，各村名次都不变。";
    const body = el("tbody");
    for (const r of w.rows) {
      const tr = el("tr", { "data-village": r.village });
      const moved = r.moved > 0 ? `上升 ${r.moved}` : r.moved < 0 ? `下降 ${-r.moved}` : "不变";
      tr.append(
        el("td", { "data-col": "official_rank" }, String(r.official_rank)),
        el("th", { scope: "row" }, r.name),
        el("td", { class: "num", "data-col": "official_total" }, num(r.official_total)),
        el("td", { "data-col": "adjusted_rank" }, String(r.adjusted_rank)),
        el("td", { class: "num", "data-col": "adjusted_total" }, num(r.adjusted_total)),
        el("td", { class: r.moved > 0 ? "up" : r.moved < 0 ? "down" : "", "data-col": "moved" }, moved));
      body.append(tr);
    }
    const table = document.getElementById("whatif-table");
    table.tBodies[0].replaceWith(body);
  }

  function render(data) {
    document.getElementById("sheets-in").textContent = data.sheets_in;
    document.getElementById("sheets-expected").textContent = data.sheets_expected;
    document.getElementById("suspect-count").textContent = data.suspects.length;
    const box = document.getElementById("suspects-box");
    box.classList.toggle("none", !data.suspects.length);
    document.getElementById("suspects").replaceChildren(...(data.suspects.length
      ? data.suspects.map((s) => el("li", { "data-suspect": `${s.judge}:${s.village}:${s.paper}` }, suspectLine(s)))
      : [el("li", { class: "muted" }, "目前没有需要核对的评分表。")]));
    document.getElementById("papers").replaceChildren(...data.papers.map(paperSection));
    whatIf(data.what_if);
    const dl = document.getElementById("definitions");
    dl.replaceChildren();
    for (const [key, term] of TERMS) {
      dl.append(el("dt", {}, term), el("dd", { "data-term": key }, data.definitions[key]));
    }
    root.dataset.revision = String(data.revision);
    document.getElementById("updated").textContent = clock(data.now);
  }

  ArenaPoll.every(`/admin/rounds/${roundId}/judges.json`, PERIOD, render, () => { root.dataset.ready = "true"; });
})();
