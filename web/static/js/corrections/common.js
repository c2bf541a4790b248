// 组织者更正页面共用：请求、幂等键、逐项出错提示、数字格式。
export const root = document.getElementById("corr");
export const roundId = root.dataset.round;

const HEADERS = { "Content-Type": "application/json", "X-Arena-Request": "1", Accept: "application/json" };

export { el, newKey } from "../dom.js";

export function fmt(n) {
  if (n === null || n === undefined || Number.isNaN(n)) return "—";
  return (Math.round(n * 100) / 100).toFixed(2);
}

export function when(iso) {
  if (!iso) return "";
  const d = new Date(iso);
  const pad = (x) => String(x).padStart(2, "0");
  return `${d.getMonth() + 1}月${d.getDate()}日 ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export class ApiError extends Error {
  constructor(status, error) {
    super((error && error.message) || `请求失败（${status}）`);
    this.status = status;
    this.error = error || {};
  }
}

export async function post(url, body) {
  let response;
  try {
    response = await fetch(url, { method: "POST", headers: HEADERS, body: JSON.stringify(body), credentials: "same-origin" });
  } catch (_) {
    throw new ApiError(0, { message: "网络不通，未保存。请检查网络后再点一次（不会重复记录）。" });
  }
  const data = await response.json().catch(() => ({}));
  if (!response.ok) throw new ApiError(response.status, data.error);
  return { status: response.status, data };
}

export async function getJSON(url) {
  const response = await fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin", cache: "no-store" });
  const data = await response.json().catch(() => ({}));
  if (!response.ok) throw new ApiError(response.status, data.error);
  return data;
}

// Problems beside their fields: {field: message}; returns how many were shown.
export function showProblems(form, problems) {
  let shown = 0;
  for (const box of form.querySelectorAll("[data-field]")) {
    const msg = problems[box.dataset.field] || "";
    const out = box.querySelector(":scope > .field-error, :scope > small.group-error");
    if (out) out.textContent = msg;
    box.classList.toggle("invalid", Boolean(msg));
    if (msg) shown += 1;
  }
  return shown;
}

// The server's 422 as {field: message} (every problem it listed).
export function serverProblems(err) {
  const out = {};
  const list = err.error.problems || (err.error.field ? [{ field: err.error.field, message: err.error.message }] : []);
  for (const p of list) if (!(p.field in out)) out[p.field] = p.message;
  return out;
}

export function flash(text) {
  const box = document.getElementById("flash");
  box.textContent = text;
  box.hidden = !text;
}

export function fail(text) {
  const box = document.getElementById("page-error");
  box.textContent = text || "";
  box.hidden = !text;
}

export function setStatus(round) {
  const badge = document.getElementById("round-status");
  badge.textContent = round.status_name;
  badge.className = `badge ${round.status}`;
  root.dataset.status = round.status;
  document.getElementById("locked-note").hidden = round.status === "open";
}

// Exactly 2 decimals at most, as the server accepts; "" -> null.
export function parseNumber(text) {
  const t = String(text).trim();
  if (t === "") return { value: null };
  if (!/^\d+(\.\d{1,2})?$/.test(t)) {
    return { error: /^\d+\.\d{3,}$/.test(t) ? "最多两位小数" : "请输入数字，如 2 或 1.5" };
  }
  return { value: Number(t) };
}

// Refresh `load` every `ms` while the page is visible, and now.
export function poll(load, ms) {
  let timer = null;
  const tick = async () => {
    clearTimeout(timer);
    try { await load(); } catch (e) { fail(e.message); }
    timer = setTimeout(tick, ms);
  };
  document.addEventListener("visibilitychange", () => { if (!document.hidden) tick(); });
  tick();
  return tick;
}
