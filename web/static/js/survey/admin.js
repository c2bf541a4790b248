// 组织者的满意度测评页：每村收卷进度、答案分布、时间曲线、刷票迹象；作废答卷、结束本村测评、打印测评卡。
// 本轮任何分数变化（包括村民作答）都会经 /ws/rounds/{id} 推送，页面随即重新读取。
import { el, newKey as key } from "../dom.js";

const root = document.getElementById("survey-admin");
const roundId = root.dataset.round;
const HEADERS = { "Content-Type": "application/json", "X-Arena-Request": "1", Accept: "application/json" };
const state = { data: null, voiding: null, loading: false, again: false };

function time(iso) {
  const d = new Date(iso);
  const p = (x) => String(x).padStart(2, "0");
  return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

function flash(text) {
  const f = document.getElementById("flash");
  f.textContent = text;
  f.hidden = false;
}

function fail(text) {
  const e = document.getElementById("page-error");
  e.textContent = text;
  e.hidden = !text;
}

async function post(url, body) {
  let r;
  try {
    r = await fetch(url, { method: "POST", headers: HEADERS, body: JSON.stringify(body), credentials: "same-origin" });
  } catch (_) {
    throw { status: 0, error: { message: "网络不通，未保存，请再点一次（不会重复记录）。" } };
  }
  const data = await r.json().catch(() => ({}));
  if (!r.ok) throw { status: r.status, error: data.error || { message: `请求失败（${r.status}）` } };
  return data;
}

function curve(c) {
  const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  svg.setAttribute("class", "curve");
  svg.setAttribute("viewBox", "0 0 600 56");
  svg.setAttribute("preserveAspectRatio", "none");
  const n = c.counts.length;
  if (!n) return svg;
  const top = Math.max(...c.counts);
  const w = 600 / n;
  c.counts.forEach((v, i) => {
    const h = top ? (v / top) * 50 : 0;
    const r = document.createElementNS("http://www.w3.org/2000/svg", "rect");
    r.setAttribute("x", String(i * w + 0.5));
    r.setAttribute("y", String(56 - h));
    r.setAttribute("width", String(Math.max(w - 1, 1)));
    r.setAttribute("height", String(h));
    r.setAttribute("fill", "#9b1c1c");
    const t = document.createElementNS("http://www.w3.org/2000/svg", "title");
    t.textContent = `${time(new Date(Date.parse(c.start) + i * c.seconds * 1000).toISOString())} 起 ${c.seconds / 60} 分钟：${v} 份`;
    r.append(t);
    svg.append(r);
  });
  return svg;
}

function village(v, scale, open) {
  const pct = Math.min(100, Math.round((v.answers / Math.max(v.sample_size, 1)) * 100));
  const tags = [];
  if (v.closed) tags.push(el("span", { class: "tag closed", text: "已结束" }));
  else if (v.provisional) tags.push(el("span", { class: "tag", text: "进行中 · 得分暂定" }));
  if (v.insufficient) tags.push(el("span", { class: "tag warn", text: "样本不足" }));
  if (v.flags.length) tags.push(el("span", { class: "tag warn", text: `${v.flags.length} 处疑似刷票` }));
  const head = el("h2", {}, el("span", { text: v.name }),
    el("span", { class: "count", "data-answers": String(v.answers), text: `已收 ${v.answers} / ${v.sample_size} 份` }), ...tags,
    el("span", { class: "score", text: v.score === null ? "未录入" : `${v.score.toFixed(2)} 分` }));
  const dist = el("table", { class: "dist" },
    el("thead", {}, el("tr", {}, el("th", { text: "题目" }), ...scale.map((s) => el("th", { text: s })))),
    el("tbody", {}, ...v.questions.map((q) => {
      const total = Object.values(q.counts).reduce((a, b) => a + b, 0) || 1;
      return el("tr", { "data-question": q.code }, el("td", { text: q.text }),
        ...scale.map((s) => s in q.counts
          ? el("td", {}, String(q.counts[s]), el("i", { class: "bar", style: `width:${Math.round((q.counts[s] / total) * 40)}px` }))
          : el("td", { class: "muted", text: "—" })));
    })));
  const sources = [];
  if (v.paper_counts) sources.push(`纸质问卷 ${Object.values(v.paper_counts).reduce((a, b) => a + b, 0)} 份另计入`);
  if (v.voided) sources.push(`作废 ${v.voided} 份`);
  const flags = v.flags.length ? el("ul", { class: "flags" }, ...v.flags.map((f) => el("li", { text: `${f.text}（${time(f.first)}–${time(f.last)}，答卷 ${f.answers.join("、")}）` }))) : null;
  const rows = v.recent.map((a) => {
    const tr = el("tr", { class: `${a.voided ? "voided" : ""} ${a.flags.length ? "flagged" : ""}`, "data-answer": String(a.id) },
      el("td", { text: `#${a.id}` }), el("td", { text: `${String(a.card).padStart(4, "0")} 号卡` }), el("td", { text: time(a.at) }),
      el("td", { text: Object.values(a.answers).join("、") + (a.free_text ? `；意见：${a.free_text}` : "") }),
      el("td", { text: a.voided ? `已作废：${a.void_reason}` : a.flags.join("；") }));
    const cell = el("td");
    if (!a.voided && open) {
      const b = el("button", { type: "button", class: "button small", text: "作废" });
      b.addEventListener("click", () => askVoid(a, v));
      cell.append(b);
    }
    tr.append(cell);
    return tr;
  });
  const recent = el("details", {}, el("summary", { text: `逐份答卷（最近 ${v.recent.length} 份，不含任何身份信息）` }),
    el("table", { class: "recent" }, el("tbody", {}, ...rows)));
  const actions = el("div", { class: "actions" });
  if (!v.closed && open) {
    const b = el("button", { type: "button", class: "button", "data-close": v.code, text: "结束本村测评" });
    b.addEventListener("click", () => closeVillage(v));
    actions.append(b);
  }
  return el("section", { class: "sv", "data-village": v.code }, head,
    el("div", { class: "progress", title: `${pct}%` }, el("i", { style: `width:${pct}%` })),
    el("p", { class: "muted", text: `已印卡 ${v.cards} 张${sources.length ? "；" + sources.join("；") : ""}` }),
    dist, curve(v.curve), flags, recent, actions);
}

function render(data) {
  state.data = data;
  const open = data.round.status === "open";
  document.getElementById("villages").replaceChildren(...data.villages.map((v) => village(v, data.scale, open)));
  const g = document.getElementById("guessing");
  g.hidden = !data.guessing.length;
  g.replaceChildren(el("h2", { text: "卡号猜测" }), el("ul", {}, ...data.guessing.map((f) => el("li", { text: f.text }))));
}

async function load() {
  if (state.loading) { state.again = true; return; }
  state.loading = true;
  try {
    const r = await fetch(`/admin/rounds/${roundId}/survey.json`, { headers: { Accept: "application/json" }, credentials: "same-origin", cache: "no-store" });
    const data = await r.json();
    if (!r.ok) throw new Error((data.error && data.error.message) || `读取失败（${r.status}）`);
    render(data);
    fail("");
  } catch (e) {
    fail(`读取失败：${e.message}，稍后自动重试`);
  } finally {
    state.loading = false;
    if (state.again) { state.again = false; load(); }
  }
}

function askVoid(a, v) {
  state.voiding = { answer: a, key: key("void") };
  document.getElementById("void-title").textContent = `作废 ${v.name} ${String(a.card).padStart(4, "0")} 号卡的答卷 #${a.id}`;
  document.getElementById("void-reason").value = "";
  document.querySelector("#void-form [data-field=reason] .field-error").textContent = "";
  document.getElementById("void-dialog").showModal();
}

document.getElementById("void-cancel").addEventListener("click", () => document.getElementById("void-dialog").close());
document.getElementById("void-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const reason = document.getElementById("void-reason").value.trim();
  const out = document.querySelector("#void-form [data-field=reason] .field-error");
  if (!reason) { out.textContent = "请写明作废理由"; return; }
  try {
    await post(`/api/v1/rounds/${roundId}/survey/answers/${state.voiding.answer.id}/void`, { reason, idempotency_key: state.voiding.key });
    document.getElementById("void-dialog").close();
    flash(`答卷 #${state.voiding.answer.id} 已作废，不再计分。`);
    load();
  } catch (e) {
    out.textContent = e.error.message;
  }
});

async function closeVillage(v) {
  if (!confirm(`结束${v.name}的测评？结束后不再收卷，得分不再是暂定。`)) return;
  try {
    await post(`/api/v1/rounds/${roundId}/survey/villages/${encodeURIComponent(v.code)}/close`, { idempotency_key: key("close") });
    flash(`${v.name}的测评已结束。`);
    load();
  } catch (e) {
    fail(e.error.message);
  }
}

document.getElementById("print-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = event.target;
  const village = document.getElementById("print-village").value;
  const raw = document.getElementById("print-count").value.trim();
  const problems = {};
  if (!village) problems.village = "请选择试点村";
  if (!/^\d+$/.test(raw) || +raw < 1 || +raw > 2000) problems.count = "请填 1 到 2000 之间的整数";
  for (const box of form.querySelectorAll("[data-field]")) box.querySelector(".field-error").textContent = problems[box.dataset.field] || "";
  if (Object.keys(problems).length) return;
  const button = document.getElementById("print-submit");
  button.disabled = true;
  button.textContent = "正在生成…";
  try {
    const r = await fetch(`/api/v1/rounds/${roundId}/survey/cards`, { method: "POST", headers: HEADERS, body: JSON.stringify({ village, count: +raw }), credentials: "same-origin" });
    if (!r.ok) {
      const data = await r.json().catch(() => ({}));
      throw new Error((data.error && data.error.message) || `生成失败（${r.status}）`);
    }
    const blob = await r.blob();
    const a = el("a", { href: URL.createObjectURL(blob), download: `测评卡-${village}-${r.headers.get("X-Arena-Cards")}.pdf` });
    document.body.append(a);
    a.click();
    a.remove();
    flash(`已生成 ${village} 的测评卡（编号 ${r.headers.get("X-Arena-Cards")}），请保存并打印。`);
    load();
  } catch (e) {
    fail(e.message);
  } finally {
    button.disabled = false;
    button.textContent = "生成 PDF";
  }
});

function connect() {
  const conn = document.getElementById("connection");
  if (!window.ArenaLive) { setInterval(load, 3000); conn.textContent = "每 3 秒刷新"; return; }
  let timer = null;
  window.ArenaLive.open(`/ws/rounds/${roundId}/live`, {
    onData() { clearTimeout(timer); timer = setTimeout(load, 150); },
    onState(s) { conn.textContent = s === "live" ? "实时" : s === "offline" ? "连接中断，正在重连…" : "连接中…"; if (s === "live") load(); },
  });
}

load();
window.addEventListener("load", connect);
