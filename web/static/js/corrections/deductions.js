// 扣分项录入：边填边检查，保存（幂等），列出本轮扣分，撤销需写明原因。
import { el, fail, flash, fmt, getJSON, newKey, parseNumber, poll, post, roundId, serverProblems, setStatus, showProblems, when } from "./common.js";

const form = document.getElementById("ded-form");
// The key belongs to one filled-in form: the same content sent again (double click, retry after a
// lost answer) reuses it and is stored once; other content, or the form after a save, gets a new one.
const state = { data: null, key: null, sent: null, touched: new Set(), busy: false };

function values() {
  const f = form.elements;
  return { village: f.village.value, item: f.namedItem("item").value, points: f.points.value, reason: f.reason.value.trim(), evidence: f.evidence.value.trim() };
}

function check(v) {
  const problems = {};
  if (!v.village) problems.village = "请选择试点村";
  if (!v.item) problems.item = "请选择扣分项";
  const option = form.elements.namedItem("item").selectedOptions[0];
  const max = option && option.dataset.max ? Number(option.dataset.max) : null;
  const p = parseNumber(v.points);
  if (p.error) problems.points = p.error;
  else if (p.value === null) problems.points = "请填写扣分";
  else if (p.value <= 0) problems.points = "扣分必须大于 0";
  else if (max !== null && p.value > max) problems.points = `该项最多扣 ${fmt(max)} 分`;
  if (!v.reason) problems.reason = "请写明扣分原因";
  else if (v.reason.length > 2000) problems.reason = "不能超过 2000 字";
  if (v.evidence.length > 2000) problems.evidence = "不能超过 2000 字";
  return problems;
}

function visible(problems, all) {
  if (all) return problems;
  return Object.fromEntries(Object.entries(problems).filter(([k]) => state.touched.has(k)));
}

function effect() {
  const out = document.getElementById("ded-effect");
  const v = values();
  const p = parseNumber(v.points);
  const village = state.data && state.data.villages.find((x) => x.code === v.village);
  if (!village) { out.textContent = ""; return; }
  const cap = state.data.cap;
  const now = `${village.name}现扣分合计 ${fmt(village.deductions_raw)}，计入 ${fmt(village.deductions)}（上限 ${fmt(cap)}），总分 ${fmt(village.total)}`;
  if (p.error || p.value === null || p.value <= 0) { out.textContent = `${now}。`; return; }
  const raw = village.deductions_raw + p.value;
  const counted = Math.min(raw, cap);
  const total = Math.max(0, village.total - (counted - village.deductions));
  out.textContent = `${now}；保存后扣分合计 ${fmt(raw)}，计入 ${fmt(counted)}${raw > cap ? "（已达上限）" : ""}，总分约为 ${fmt(total)}。`;
}

function onInput(event) {
  const name = event.target.name;
  if (name) state.touched.add(name);
  showProblems(form, visible(check(values()), false));
  effect();
}

async function onSubmit(event) {
  event.preventDefault();
  if (state.busy) return; // a double click sends once; the key guards a retried request
  const v = values();
  const problems = check(v);
  if (showProblems(form, problems)) { document.querySelector(".invalid input, .invalid select, .invalid textarea")?.focus(); return; }
  const button = document.getElementById("ded-submit");
  state.busy = true;
  button.disabled = true;
  fail("");
  try {
    const content = { village: v.village, item: v.item, points: Number(v.points), reason: v.reason, evidence: v.evidence };
    const text = JSON.stringify(content);
    if (text !== state.sent) { state.sent = text; state.key = newKey("ded"); }
    const body = { ...content, idempotency_key: state.key };
    const { data } = await post(`/api/v1/rounds/${roundId}/deductions`, body);
    const d = data.deduction;
    const village = state.data.villages.find((x) => x.code === d.village);
    flash(`已保存：${village ? village.name : d.village} ${d.name} 扣 ${fmt(d.points)} 分。`);
    form.elements.points.value = "";
    form.elements.reason.value = "";
    form.elements.evidence.value = "";
    state.touched.clear();
    state.sent = null;
    await load();
  } catch (err) {
    if (err.status === 422) showProblems(form, serverProblems(err));
    else fail(err.message);
  } finally {
    state.busy = false;
    button.disabled = root().dataset.status !== "open";
  }
}

function root() { return document.getElementById("corr"); }

function renderTotals(data) {
  document.getElementById("ded-cap").textContent = fmt(data.cap);
  const body = el("tbody");
  for (const v of data.villages) {
    body.append(el("tr", { "data-village": v.code },
      el("th", { scope: "row", text: v.name }),
      el("td", { class: "num raw", text: fmt(v.deductions_raw) }),
      el("td", { class: "num counted", text: fmt(v.deductions) + (v.capped ? "（已达上限）" : "") }),
      el("td", { class: "num total", text: fmt(v.total) + (v.provisional ? " 暂定" : "") }),
      el("td", { class: "num", text: String(v.rank) })));
  }
  document.getElementById("ded-totals").tBodies[0].replaceWith(body);
}

function withdrawForm(d) {
  const key = newKey("wd");
  const reason = el("textarea", { rows: "2", maxlength: "2000", placeholder: "如：经复核，该问题已于检查前整改", "aria-label": "撤销原因" });
  const error = el("small", { class: "field-error", role: "alert" });
  const go = el("button", { type: "button", class: "button danger", text: "确认撤销" });
  const cancel = el("button", { type: "button", class: "button", text: "取消" });
  const box = el("div", { class: "inline-form", "data-field": "reason" }, el("span", { text: "撤销原因（必填）" }), reason, error, el("div", { class: "form-foot" }, go, cancel));
  cancel.addEventListener("click", () => box.replaceWith(button(d)));
  reason.addEventListener("input", () => { error.textContent = ""; box.classList.remove("invalid"); });
  go.addEventListener("click", async () => {
    if (!reason.value.trim()) { error.textContent = "请写明撤销原因"; box.classList.add("invalid"); reason.focus(); return; }
    go.disabled = true;
    try {
      await post(`/api/v1/rounds/${roundId}/deductions/${d.id}/withdraw`, { reason: reason.value.trim(), idempotency_key: key });
      flash(`已撤销：${d.village_name} ${d.name} ${fmt(d.points)} 分。`);
      box.remove();
      await load();
    } catch (err) {
      error.textContent = err.message;
      box.classList.add("invalid");
      go.disabled = false;
    }
  });
  setTimeout(() => reason.focus(), 0);
  return box;
}

function button(d) {
  const b = el("button", { type: "button", class: "button small", text: "撤销…", "data-withdraw": String(d.id) });
  b.disabled = root().dataset.status !== "open";
  b.addEventListener("click", () => b.replaceWith(withdrawForm(d)));
  return b;
}

function renderList(data) {
  const body = el("tbody");
  if (!data.deductions.length) body.append(el("tr", {}, el("td", { colspan: "6", class: "muted", text: "本轮还没有扣分记录。" })));
  for (const d of data.deductions) {
    const why = el("td", { class: "why" }, el("div", { text: d.reason }));
    if (d.evidence) why.append(el("div", { class: "evidence", text: `佐证：${d.evidence}` }));
    const status = el("td", { class: "state" });
    if (d.withdrawn) {
      status.append(el("span", { class: "tag withdrawn", text: "已撤销" }),
        el("div", { class: "muted", text: `${d.withdrawn_by} ${when(d.withdrawn_at)}：${d.withdraw_reason}` }));
    } else {
      status.append(el("span", { class: "tag ok", text: "计分中" }), button(d));
    }
    body.append(el("tr", { "data-id": String(d.id), class: d.withdrawn ? "withdrawn" : "" },
      el("td", { text: d.village_name }), el("td", { text: d.name }),
      el("td", { class: "num", text: `−${fmt(d.points)}` }), why,
      el("td", { class: "muted", text: `${d.recorded_by} ${when(d.created_at)}` }), status));
  }
  document.getElementById("ded-list").tBodies[0].replaceWith(body);
}

async function load() {
  // An open withdraw form is someone typing: leave the list alone until they finish.
  const typing = document.querySelector("#ded-list .inline-form");
  const data = await getJSON(`/admin/rounds/${roundId}/deductions.json`);
  state.data = data;
  setStatus(data.round);
  document.getElementById("ded-submit").disabled = data.round.status !== "open" || state.busy;
  renderTotals(data);
  if (!typing) renderList(data);
  effect();
  fail("");
}

form.addEventListener("input", onInput);
form.addEventListener("change", onInput);
form.addEventListener("submit", onSubmit);
poll(load, 5000);
