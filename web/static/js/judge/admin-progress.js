// 组织者的评分进度表：每 3 秒读取一次进度，显示谁还没交。
(function () {
  "use strict";
  const root = document.getElementById("progress");
  const roundId = root.dataset.round;
  const PERIOD = 3000;
  let lastOk = null;

  function el(tag, attrs, text) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function pill(done, label) {
    return el("span", { class: `p ${done ? "ok" : "miss"}`, title: done ? "已交" : "未交" }, label);
  }

  const clock = ArenaPoll.clock;

  function render(data) {
    document.getElementById("received").textContent = data.received;
    document.getElementById("expected").textContent = data.expected;
    const status = document.getElementById("round-status");
    status.textContent = data.round.status_name;
    status.className = `badge ${data.round.status}`;
    const table = document.getElementById("grid");
    const head = el("tr");
    head.append(el("th", { scope: "col" }, "评委"));
    for (const v of data.villages) {
      const th = el("th", { scope: "col" });
      th.append(el("span", { class: "vname" }, v.name), el("span", { class: "vcount" }, `${v.received}/${v.expected}`));
      head.append(th);
    }
    head.append(el("th", { scope: "col" }, "已交"));
    const body = el("tbody");
    const missing = [];
    for (const j of data.judges) {
      const tr = el("tr", { "data-judge": j.code });
      tr.append(el("th", { scope: "row" }, j.name));
      const lacking = [];
      for (const v of data.villages) {
        const cell = j.cells[v.code];
        const td = el("td", { "data-village": v.code });
        if (cell === null) {
          td.className = "recused";
          td.append(el("span", { class: "p recused" }, "回避"));
        } else {
          const n = (cell.shared ? 1 : 0) + (cell.demonstration ? 1 : 0);
          td.className = n === 2 ? "done" : n === 1 ? "part" : "none";
          td.dataset.state = `${n}/2`;
          td.append(pill(cell.shared, "共"), pill(cell.demonstration, "示"));
          // 代录 (an organiser typed the judge's paper sheet) and 作废 (to be entered again)
          if ((cell.shared && cell.shared.proxy) || (cell.demonstration && cell.demonstration.proxy)) {
            td.append(el("span", { class: "p proxy", title: "组织者按纸质评分表代录" }, "代录"));
          }
          // 请核对: the sheet's total is far from the other judges' (see 评委一致性)
          for (const [paper, name] of [["shared", "共"], ["demonstration", "示"]]) {
            if (cell[paper] && cell[paper].check) {
              td.append(el("span", { class: "p check", "data-check": paper, title: `${name}卷总分与同村其他评委相差很大，请向评委核对` }, "请核对"));
            }
          }
          if (cell.voided) {
            td.append(el("span", { class: "p voided", title: "已作废，等评委重新提交" }, "作废"));
          }
          if (n < 2) lacking.push(v.name + (cell.voided ? "（已作废待重交）" : ""));
        }
        tr.append(td);
      }
      tr.append(el("td", { class: "count" }, `${j.received}/${j.expected}`));
      body.append(tr);
      if (lacking.length) missing.push(`${j.name}：${lacking.join("、")}`);
    }
    table.replaceChildren(el("thead"), body);
    table.tHead.append(head);
    renderHeals(data.heals || []);
    renderBackup(data.backup);
    renderChecks(data.suspects || []);
    const list = document.getElementById("missing");
    list.replaceChildren(...(missing.length ? missing : ["全部评委都已交齐。"]).map((t) => el("li", {}, t)));
    lastOk = data.now;
  }

  // The automatic backups to a second disk: the last one, or why it failed (in red).
  function renderBackup(b) {
    const node = document.getElementById("backup-status");
    if (!node || !b) return;
    let text; let state = "off";
    if (!b.enabled) text = "未开启（在 config.toml 的 [backup] 中设置备份目录，例如 U 盘）";
    else if (!b.last) { text = `每 ${b.every_minutes} 分钟备份到 ${b.dir}（尚未进行）`; state = "waiting"; }
    else if (b.last.ok) {
      text = `${clock(b.last.at)} 已备份到 ${b.dir}（审计链头 ${b.last.head.slice(0, 12)}）`;
      state = "ok";
    } else { text = `${clock(b.last.at)} 备份失败：${b.last.error}`; state = "failed"; }
    node.textContent = text;
    node.dataset.state = state;
  }

  // Sheets the tablets brought back after the server had lost them: when, whose, which.
  function renderHeals(heals) {
    const box = document.getElementById("heals");
    if (!box) return;
    box.hidden = !heals.length;
    document.getElementById("heals-title").textContent = `平板补传 ${heals.length} 份`;
    document.getElementById("heals-list").replaceChildren(...heals.map((h) => el("li", {},
      `${clock(h.at)} ${h.judge} · ${h.village} · ${h.paper}（第 ${h.version} 版）`)));
  }

  // Suspect sheets (请核对), listed at once so the organiser can ask the judge while still there.
  function renderChecks(list) {
    const box = document.getElementById("checks");
    if (!box) return;
    box.hidden = !list.length;
    document.getElementById("checks-title").textContent = `请核对 ${list.length} 张`;
    document.getElementById("checks-list").replaceChildren(...list.map((s) => el("li", {},
      `${s.judge_name} · ${s.village_name} · ${s.paper_name}：总分 ${s.total}，其他评委中位数 ${s.median_others}`)));
  }

  ArenaPoll.every(`/admin/rounds/${roundId}/progress.json`, PERIOD, render, () => {
    document.getElementById("updated").textContent = clock(lastOk);
  });
})();
