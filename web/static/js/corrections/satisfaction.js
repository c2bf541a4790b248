// 满意度录入：各答案人数或外部满意率，边填边显示算式（与服务器同样四舍五入），保存幂等，撤销写原因。
import { el, fail, flash, fmt, getJSON, newKey, parseNumber, poll, post, roundId, serverProblems, setStatus, showProblems, when } from "./common.js";

const form = document.getElementById("sat-form");
const state = { data: null, key: null, sent: null, touched: new Set(), busy: false };

// "0.8" -> 80n, "30" -> 3000n: exact hundredths, so the preview rounds as the server does.
function cents(text) {
  const [whole, frac = ""] = String(text).split(".");
  return BigInt(whole || "0") * 100n + BigInt((frac + "00").slice(0, 2));
}

function plain(c) { // hundredths -> "172", "150.8", "0.6"
  const neg = c < 0n; const a = neg ? -c : c;
  const whole = a / 100n; const frac = String(a % 100n).padStart(2, "0").replace(/0+$/, "");
  return `${neg ? "-" : ""}${whole}${frac ? `.${frac}` : ""}`;
}

function answerValue(c) { return c === 100n ? "1.0" : plain(c); }

function halfUp(numerator, denominator) { return (2n * numerator + denominator) / (2n * denominator); }

function money(c) { return `${c / 100n}.${String(c % 100n).padStart(2, "0")}`; }

const MAX = cents(form.dataset.max);
const MIN = Number(form.dataset.min);
const inputs = () => [...form.querySelectorAll("input[name=count]")];
const mode = () => form.elements.mode.value;

function read() {
  const problems = {};
  const village = form.elements.village.value;
  if (!village) problems.village = "请选择试点村";
  if (mode() === "rate") {
    const r = parseNumber(form.elements.rate.value);
    if (r.error) problems.rate = r.error;
    else if (r.value === null) problems.rate = "请填写满意率";
    else if (r.value > 100) problems.rate = "满意率在 0～100 之间";
    return { village, rate: r.error || r.value === null ? null : form.elements.rate.value.trim(), problems };
  }
  const counts = {};
  let total = 0;
  for (const input of inputs()) {
    const t = input.value.trim();
    const field = `counts.${input.dataset.answer}`;
    if (t === "") { counts[input.dataset.answer] = 0; continue; }
    if (!/^\d+$/.test(t)) { problems[field] = "人数须为不小于 0 的整数"; continue; }
    counts[input.dataset.answer] = Number(t);
    total += Number(t);
  }
  if (total === 0 && !Object.keys(problems).some((k) => k.startsWith("counts."))) problems.counts = "至少要有 1 份答卷";
  return { village, counts, total, problems };
}

function preview(v) {
  const out = document.getElementById("sat-preview");
  if (mode() === "rate") {
    if (v.rate === null) { out.textContent = `得分 = 满分 ${plain(MAX)} × 满意率；请填写满意率。`; return; }
    const score = halfUp(MAX * cents(v.rate), 10000n);
    out.textContent = `得分 = ${plain(MAX)} × ${plain(cents(v.rate))}% = ${money(score)}`;
    return;
  }
  if (!v.total || Object.keys(v.problems).some((k) => k.startsWith("counts"))) {
    out.textContent = `得分 = 满分 ${plain(MAX)} × 平均分值；请填写人数。`;
    return;
  }
  let weighted = 0n;
  const terms = inputs().map((input) => {
    const n = BigInt(v.counts[input.dataset.answer]);
    const value = cents(input.dataset.value);
    weighted += n * value;
    return `${n}×${answerValue(value)}`;
  });
  const n = BigInt(v.total);
  const score = halfUp(MAX * weighted, 100n * n);
  out.textContent = `得分 = ${plain(MAX)} × (${terms.join(" + ")}) / ${n} = ${plain(MAX)} × ${plain(weighted)} / ${n} = ${money(score)}` +
    (v.total < MIN ? `（${v.total} 份少于 ${MIN} 份：样本不足，仍计分）` : "");
}

function visible(problems, all) {
  if (all) return problems;
  return Object.fromEntries(Object.entries(problems).filter(([k]) => state.touched.has(k) || (k === "counts" && state.touched.has("count"))));
}

function switchMode() {
  document.getElementById("sat-counts").hidden = mode() !== "counts";
  document.getElementById("sat-rate").hidden = mode() !== "rate";
}

function onInput(event) {
  const t = event.target;
  if (t.name === "mode") switchMode();
  if (t.name === "count") { state.touched.add(`counts.${t.dataset.answer}`); state.touched.add("count"); }
  else if (t.name) state.touched.add(t.name);
  if (t.name === "village" && event.type === "change") prefill(t.value);
  const v = read();
  showProblems(form, visible(v.problems, false));
  preview(v);
}

function prefill(code) {
  const village = state.data && state.data.villages.find((x) => x.code === code);
  if (!village || village.missing) return;
  if (village.source === "rate") {
    form.elements.mode.value = "rate";
    form.elements.rate.value = String(village.rate);
  } else if (village.entered_counts || village.counts) {
    // Only what was entered from paper forms; residents' phone answers are added on top.
    const entered = village.entered_counts || (village.survey_respondents ? {} : village.counts);
    form.elements.mode.value = "counts";
    for (const input of inputs()) input.value = String(entered[input.dataset.answer] ?? 0);
  }
  switchMode();
}

async function onSubmit(event) {
  event.preventDefault();
  if (state.busy) return;
  const v = read();
  if (showProblems(form, v.problems)) return;
  const content = mode() === "rate" ? { village: v.village, rate: Number(v.rate) } : { village: v.village, counts: v.counts };
  const text = JSON.stringify(content);
  if (text !== state.sent) { state.sent = text; state.key = newKey("sat"); }
  const button = document.getElementById("sat-submit");
  state.busy = true;
  button.disabled = true;
  fail("");
  try {
    await post(`/api/v1/rounds/${roundId}/satisfaction`, { ...content, idempotency_key: state.key });
    state.sent = null;
    state.touched.clear();
    await load();
    const row = state.data.villages.find((x) => x.code === v.village);
    flash(`已保存：${row.name} 满意度 ${fmt(row.score)} 分（${row.arithmetic}）。`);
  } catch (err) {
    if (err.status === 422) showProblems(form, serverProblems(err));
    else fail(err.message);
  } finally {
    state.busy = false;
    button.disabled = document.getElementById("corr").dataset.status !== "open";
  }
}

function withdrawForm(v, cell) {
  const key = newKey("sw");
  const reason = el("textarea", { rows: "2", maxlength: "2000", "aria-label": "撤销原因", placeholder: "如：问卷批次录错，待重新统计" });
  const error = el("small", { class: "field-error", role: "alert" });
  const go = el("button", { type: "button", class: "button danger", text: "确认撤销" });
  const cancel = el("button", { type: "button", class: "button", text: "取消" });
  const box = el("div", { class: "inline-form", "data-field": "reason" }, el("span", { text: "撤销原因（必填）" }), reason, error, el("div", { class: "form-foot" }, go, cancel));
  cancel.addEventListener("click", () => { box.remove(); load(); });
  go.addEventListener("click", async () => {
    if (!reason.value.trim()) { error.textContent = "请写明撤销原因"; box.classList.add("invalid"); return; }
    go.disabled = true;
    try {
      await post(`/api/v1/rounds/${roundId}/satisfaction/${encodeURIComponent(v.code)}/withdraw`, { reason: reason.value.trim(), idempotency_key: key });
      flash(`已撤销${v.name}的满意度数据：该村重新显示“未录入”，名次暂定。`);
      box.remove();
      await load();
    } catch (err) { error.textContent = err.message; box.classList.add("invalid"); go.disabled = false; }
  });
  cell.replaceChildren(box);
  reason.focus();
}

function render(data) {
  const open = data.round.status === "open";
  const body = el("tbody");
  for (const v of data.villages) {
    let figure;
    if (v.missing) figure = el("span", { class: "tag missing", text: v.marker });
    else if (v.source === "rate") figure = el("span", { text: `外部测评满意率 ${v.rate}%` });
    else figure = el("span", { text: data.scale.map((s) => `${s.answer} ${v.counts[s.answer] ?? 0}`).join("，") + `（共 ${v.responses} 份）` });
    const cellFigure = el("td", {}, figure);
    if (v.survey_respondents) cellFigure.append(el("div", { class: "muted", text: `其中村民手机测评 ${v.survey_respondents} 份（见“群众测评”页）` }));
    if (v.insufficient) cellFigure.append(el("span", { class: "tag warn", text: "样本不足" }));
    if (v.withdrawn) cellFigure.append(el("div", { class: "muted", text: `已撤销：${v.withdrawn.by} ${when(v.withdrawn.at)}：${v.withdrawn.reason}` }));
    const actions = el("td", { class: "actions" });
    const edit = el("button", { type: "button", class: "button small", text: v.missing ? "录入" : "修改" });
    edit.disabled = !open;
    edit.addEventListener("click", () => {
      form.elements.village.value = v.code;
      prefill(v.code);
      onInput({ target: form.elements.village, type: "input" });
      form.scrollIntoView({ behavior: "smooth" });
      (mode() === "rate" ? form.elements.rate : inputs()[0]).focus();
    });
    actions.append(edit);
    if (!v.missing) {
      const undo = el("button", { type: "button", class: "button small", text: "撤销…", "data-withdraw": v.code });
      undo.disabled = !open;
      undo.addEventListener("click", () => withdrawForm(v, actions));
      actions.append(undo);
    }
    body.append(el("tr", { "data-village": v.code, class: v.missing ? "missing" : "" },
      el("th", { scope: "row", text: v.name }), cellFigure,
      el("td", { class: "arith", text: v.arithmetic || "—" }),
      el("td", { class: "num score", text: v.missing ? v.marker : fmt(v.score) }),
      el("td", { class: "muted", text: v.recorded_by ? `${v.recorded_by} ${when(v.updated_at)}` : "" }), actions));
  }
  document.getElementById("sat-list").tBodies[0].replaceWith(body);
}

async function load() {
  if (document.querySelector("#sat-list .inline-form")) return; // someone is typing a reason
  const data = await getJSON(`/admin/rounds/${roundId}/satisfaction.json`);
  state.data = data;
  setStatus(data.round);
  document.getElementById("sat-submit").disabled = data.round.status !== "open" || state.busy;
  render(data);
  fail("");
}

form.addEventListener("input", onInput);
form.addEventListener("change", onInput);
form.addEventListener("submit", onSubmit);
switchMode();
poll(load, 5000);
