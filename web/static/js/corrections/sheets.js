// 评分表更正：按村 × 评委 × 考卷列出；作废（写原因）或代录纸质评分表（写原因），都幂等、入审计。
import { el, fail, flash, fmt, getJSON, newKey, parseNumber, poll, post, roundId, serverProblems, setStatus, showProblems, when } from "./common.js";

const state = { data: null, target: null, voidKey: null, proxyKey: null, proxySent: null };
const STATES = { in: "已计分", missing: "未交", voided: "已作废", recused: "回避" };

function filtered(data) {
  const v = document.getElementById("sh-village").value;
  const j = document.getElementById("sh-judge").value;
  const s = document.getElementById("sh-state").value;
  const rows = [];
  for (const village of data.villages) {
    if (v && village.code !== v) continue;
    for (const cell of village.cells) {
      if (cell.recused || (j && cell.judge !== j)) continue;
      if (s === "proxy" ? !(cell.state === "in" && cell.proxy) : s && cell.state !== s) continue;
      rows.push({ village, cell });
    }
  }
  return rows;
}

function render() {
  const data = state.data;
  const open = data.round.status === "open";
  const body = el("tbody");
  const rows = filtered(data);
  if (!rows.length) body.append(el("tr", {}, el("td", { colspan: "6", class: "muted", text: "没有符合条件的评分表。" })));
  for (const { village, cell } of rows) {
    const status = el("td", { class: "state" }, el("span", { class: `tag ${cell.state}`, text: STATES[cell.state] }));
    if (cell.state === "in") {
      if (cell.proxy) status.append(el("span", { class: "tag proxy", text: "代录" }));
      status.append(el("div", { class: "muted", text: `第 ${cell.version} 版 · ${cell.proxy ? `${cell.proxy_by} 代录：${cell.proxy_reason}` : "评委提交"} · ${when(cell.submitted_at)}` }));
    } else if (cell.state === "voided") {
      status.append(el("div", { class: "muted", text: `${cell.voided_by} ${when(cell.voided_at)} 作废：${cell.void_reason}；等评委重新提交` }));
    }
    const actions = el("td", { class: "actions" });
    if (cell.state === "in") {
      const b = el("button", { type: "button", class: "button small danger", text: "作废…", "data-void": String(cell.id) });
      b.disabled = !open;
      b.addEventListener("click", () => openVoid(village, cell));
      actions.append(b);
    } else {
      const b = el("button", { type: "button", class: "button small", text: "代录…", "data-proxy": `${village.code}:${cell.judge}:${cell.paper}` });
      b.disabled = !open;
      b.addEventListener("click", () => openProxy(village, cell));
      actions.append(b);
    }
    body.append(el("tr", { "data-village": village.code, "data-judge": cell.judge, "data-paper": cell.paper, "data-state": cell.state, class: cell.state },
      el("td", { text: village.name }), el("td", { text: cell.judge_name }), el("td", { text: cell.paper_name }),
      el("td", { class: "num", text: cell.state === "in" || cell.state === "voided" ? fmt(cell.total) : "—" }), status, actions));
  }
  document.getElementById("sh-list").tBodies[0].replaceWith(body);
}

function dialogClose(dialog) { for (const b of dialog.querySelectorAll("[data-close]")) b.addEventListener("click", () => dialog.close()); }

const voidDialog = document.getElementById("sh-void");
const voidForm = document.getElementById("sh-void-form");
dialogClose(voidDialog);

function openVoid(village, cell) {
  state.target = { village, cell };
  state.voidKey = newKey("void");
  voidForm.reset();
  showProblems(voidForm, {});
  document.getElementById("sh-void-what").textContent = `${village.name} · ${cell.judge_name} · ${cell.paper_name}，合计 ${fmt(cell.total)} 分（第 ${cell.version} 版）。作废后不再计分，评委需重新提交。`;
  voidDialog.showModal();
}

voidForm.addEventListener("input", () => showProblems(voidForm, {}));
voidForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  const reason = voidForm.elements.reason.value.trim();
  if (!reason) { showProblems(voidForm, { reason: "请写明作废原因" }); return; }
  const button = voidForm.querySelector("button[type=submit]");
  button.disabled = true;
  const { village, cell } = state.target;
  try {
    await post(`/api/v1/rounds/${roundId}/sheets/${cell.id}/void`, { reason, idempotency_key: state.voidKey });
    voidDialog.close();
    flash(`已作废：${village.name} · ${cell.judge_name} · ${cell.paper_name}。评委平板将提示重新提交。`);
    await load();
  } catch (err) {
    if (err.status === 422) showProblems(voidForm, serverProblems(err));
    else showProblems(voidForm, { reason: err.message });
  } finally { button.disabled = false; }
});

const proxyDialog = document.getElementById("sh-proxy");
const proxyForm = document.getElementById("sh-proxy-form");
dialogClose(proxyDialog);

function items(village, paper) {
  return paper === "shared" ? state.data.papers.shared.items : village.targets;
}

function openProxy(village, cell) {
  state.target = { village, cell };
  state.proxySent = null;
  proxyForm.reset();
  document.getElementById("sh-proxy-error").hidden = true;
  document.getElementById("sh-proxy-what").textContent = `${village.name} · 评委 ${cell.judge_name} · ${cell.paper_name}：照评委签字的纸质评分表逐项录入。`;
  const list = document.getElementById("sh-proxy-items");
  list.replaceChildren(...items(village, cell.paper).map((i) => el("li", { class: "field", "data-field": `items.${i.code}` },
    el("label", {}, el("span", { text: `${i.name}（满分 ${fmt(i.max)}）` }),
      el("input", { name: "item", "data-item": i.code, "data-max": String(i.max), inputmode: "decimal", autocomplete: "off" })),
    el("small", { class: "field-error", role: "alert" }))));
  showProblems(proxyForm, {});
  total();
  proxyDialog.showModal();
}

function readProxy() {
  const problems = {};
  const points = {};
  for (const input of proxyForm.querySelectorAll("input[name=item]")) {
    const field = `items.${input.dataset.item}`;
    const p = parseNumber(input.value);
    if (p.error) problems[field] = p.error;
    else if (p.value === null) problems[field] = "请填写分数";
    else if (p.value > Number(input.dataset.max)) problems[field] = `不能超过满分 ${fmt(Number(input.dataset.max))}`;
    else points[input.dataset.item] = p.value;
  }
  const reason = proxyForm.elements.reason.value.trim();
  if (!reason) problems.reason = "请写明代录原因";
  return { points, problems, reason, comment: proxyForm.elements.comment.value.trim() };
}

function total() {
  const { points } = readProxy();
  const { village, cell } = state.target;
  const max = cell.paper === "shared" ? state.data.papers.shared.max : state.data.papers.demonstration.max;
  const sum = Object.values(points).reduce((a, b) => a + Math.round(b * 100), 0) / 100;
  const n = items(village, cell.paper).length;
  document.getElementById("sh-proxy-total").textContent = `合计 ${fmt(sum)} / ${fmt(max)} 分（已填 ${Object.keys(points).length}/${n} 项）`;
}

proxyForm.addEventListener("input", (event) => {
  total();
  const problems = readProxy().problems;
  const field = event.target.closest("[data-field]");
  // As typed: only the field being typed in shows its problem; on save, every problem shows.
  showProblems(proxyForm, field && problems[field.dataset.field] ? { [field.dataset.field]: problems[field.dataset.field] } : {});
});

proxyForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  const got = readProxy();
  if (showProblems(proxyForm, got.problems)) return;
  const { village, cell } = state.target;
  const content = { judge: cell.judge, village: village.code, paper: cell.paper, items: got.points, comment: got.comment, reason: got.reason };
  const text = JSON.stringify(content);
  if (text !== state.proxySent) { state.proxySent = text; state.proxyKey = newKey("proxy"); }
  const button = proxyForm.querySelector("button[type=submit]");
  button.disabled = true;
  try {
    const { data } = await post(`/api/v1/rounds/${roundId}/proxy-sheets`, { ...content, idempotency_key: state.proxyKey });
    proxyDialog.close();
    flash(`已代录：${village.name} · ${cell.judge_name} · ${cell.paper_name}，合计 ${fmt(data.sheet.total)} 分（标“代录”）。`);
    await load();
  } catch (err) {
    if (err.status === 422) showProblems(proxyForm, serverProblems(err));
    const box = document.getElementById("sh-proxy-error");
    box.textContent = err.message;
    box.hidden = false;
  } finally { button.disabled = false; }
});

async function load() {
  if (voidDialog.open || proxyDialog.open) return; // keep the list still while a dialog is open
  const data = await getJSON(`/admin/rounds/${roundId}/sheets.json`);
  state.data = data;
  setStatus(data.round);
  render();
  fail("");
}

for (const id of ["sh-village", "sh-judge", "sh-state"]) document.getElementById(id).addEventListener("change", render);
poll(load, 5000);
