// 评委评分应用：离线优先。所有改动先存本机，提交的评分表经发件箱发往服务器。
import * as db from "./db.js";
import * as outbox from "./outbox.js";
import { parseScore, showError, stepValue } from "./entry.js";
import { latest } from "./latest.js";
import { checkView, PAPERS, routeView, sheetView, totalText } from "./views.js";

const $ = (sel) => document.querySelector(sel);
const app = { state: null, sheets: new Map(), outbox: [], banner: "", contest: false };

const key = (village, paper) => `${app.state.round.id}:${app.state.judge.code}:${village}:${paper}`;
const filled = (v) => v !== null && v !== undefined;

const ctx = {
  get state() { return app.state; },
  get readOnly() { return app.state.round.status !== "open"; },
  key,
  paperName: (p) => app.state.papers[p].name,
  paperMax: (v, p) => app.state.papers[p].max,
  items: (v, p) => (p === "shared" ? app.state.papers.shared.items : v.targets),
  sheet: (v, p) => app.sheets.get(key(v.code, p)),
  total(v, p) {
    const s = ctx.sheet(v, p);
    let sum = 0; let count = 0;
    for (const item of ctx.items(v, p)) {
      const val = s ? s.items[item.code] : null;
      if (filled(val)) { sum += val; count += 1; }
    }
    return { sum: Math.round(sum * 100) / 100, count };
  },
  status(v, p) {
    const k = key(v.code, p);
    const s = app.sheets.get(k);
    const pending = app.outbox.filter((e) => e.sheetKey === k).pop();
    if (pending && pending.error) return { cls: "failed", text: `提交失败（${pending.error}）` };
    if (pending) return { cls: "sending", text: "正在提交…" };
    if (s && s.dirty) return { cls: "saved", text: s.version ? "本机已保存（修改未提交）" : "本机已保存" };
    if (s && s.version) return { cls: "submitted", text: "已提交" };
    return { cls: "empty", text: "未填" };
  },
};

function village(code) { return app.state.villages.find((v) => v.code === code); }

async function loadSheets() {
  app.sheets.clear();
  const prefix = `${app.state.round.id}:${app.state.judge.code}:`;
  for (const s of await db.all("sheets")) if (s.key.startsWith(prefix)) app.sheets.set(s.key, s);
  app.outbox = await outbox.entries();
}

async function saveSheet(s) {
  s.updatedAt = Date.now();
  app.sheets.set(s.key, s);
  await db.put("sheets", s.key, s);
}

function blankSheet(v, p) {
  return { key: key(v.code, p), village: v.code, paper: p, items: {}, comment: "", dirty: false, version: 0 };
}

// The server's current sheets fill in what this device does not hold newer edits of.
async function mergeServer() {
  for (const v of app.state.villages) {
    for (const p of PAPERS) {
      const server = v.sheets[p];
      const local = ctx.sheet(v, p);
      const pending = app.outbox.some((e) => e.sheetKey === key(v.code, p));
      if (!server || pending || (local && local.dirty) || (local && local.version >= server.version)) continue;
      await saveSheet({ ...blankSheet(v, p), items: { ...server.items }, comment: server.comment,
        version: server.version });
    }
  }
}

async function fetchState() {
  const ctrl = new AbortController();
  const timer = setTimeout(() => ctrl.abort(), 10000);
  try {
    const r = await fetch("/judge/api/state", {
      credentials: "same-origin", signal: ctrl.signal, headers: { Accept: "application/json" },
    });
    if (r.status === 401 || r.status === 403) return { denied: true };
    if (!r.ok) return { failed: true };
    return { state: await r.json() };
  } catch (_) {
    return { failed: true };
  } finally {
    clearTimeout(timer);
  }
}

const refresh = latest(refreshNow);

async function refreshNow() {
  if (app.contest) return;
  const got = await fetchState();
  if (got.state && got.state.mode === "contest") return toContest(got.state);
  const before = app.state ? app.state.round.status : null;
  if (got.state) {
    const wasLocked = app.state && app.state.round.status !== "open";
    app.state = got.state;
    await db.put("kv", "state", got.state);
    await loadSheets();
    await mergeServer();
    if (wasLocked && app.state.round.status === "open") await outbox.retryLocked();
    app.banner = "";
  } else if (got.denied) {
    app.banner = app.state ? "登录已失效：已填的分数仍保存在本机，请重新打开您的个人链接后自动发送。"
      : "请打开组织部发给您的个人链接，或扫描评委卡上的二维码。";
  } else {
    app.banner = app.state ? "当前离线：正在使用本机保存的数据，评分照常进行。" : "网络不通，且本机还没有本轮数据。请在有信号的地方打开个人链接一次。";
  }
  // Never pull the page from under a judge who is typing: only the status chips change then.
  const typing = document.activeElement && document.activeElement.matches("input, textarea");
  if (typing && before === (app.state && app.state.round.status)) refreshStatus();
  else render();
  sync(true);
}

function header() {
  if (app.contest) return;
  const st = app.state;
  const online = navigator.onLine;
  const waiting = app.outbox.filter((e) => !e.final).length;
  $("#round-name").textContent = st ? st.round.name : "评委评分";
  $("#judge-name").textContent = st ? `评委：${st.judge.name}` : "";
  const status = $("#round-status");
  status.textContent = st ? st.round.status_name : "";
  status.className = `badge ${st && st.round.status !== "open" ? "locked" : "open"}`;
  const net = $("#network");
  net.textContent = online ? "在线" : "离线";
  net.className = `badge ${online ? "online" : "offline"}`;
  const box = $("#outbox-count");
  box.dataset.count = String(waiting);
  box.textContent = waiting ? `待发送 ${waiting} 份` : "全部已发送";
  const banner = $("#banner");
  banner.textContent = app.banner;
  banner.hidden = !app.banner;
}

function render(top = false) {
  if (app.contest) return;
  header();
  const main = $("#view");
  if (!app.state) { main.innerHTML = ""; return; }
  const [, code, paper, check] = (location.hash.match(/^#v\/([^/]+)\/(shared|demonstration)(\/check)?$/) || []);
  const v = code && village(code);
  if (v && check) main.innerHTML = checkView(ctx, v, paper);
  else if (v) main.innerHTML = sheetView(ctx, v, paper);
  else main.innerHTML = routeView(ctx);
  main.dataset.view = v ? (check ? "check" : "sheet") : "route";
  if (top) window.scrollTo(0, 0);
}

function refreshStatus() {
  header();
  if (!app.state) return;
  for (const el of document.querySelectorAll("[data-status-for]")) {
    const [, , code, p] = el.dataset.statusFor.split(":");
    const st = ctx.status(village(code), p);
    el.className = `chip ${st.cls}`;
    el.textContent = st.text;
  }
}

function current() {
  const m = location.hash.match(/^#v\/([^/]+)\/(shared|demonstration)/);
  return m ? { v: village(m[1]), p: m[2] } : null;
}

async function setItem(row, value) {
  const cur = current();
  const s = ctx.sheet(cur.v, cur.p) || blankSheet(cur.v, cur.p);
  s.items = { ...s.items, [row.dataset.item]: value };
  s.dirty = true;
  await saveSheet(s);
  $("#running-total").innerHTML = totalText(ctx, cur.v, cur.p);
  refreshStatus();
}

async function onInput(event) {
  const cur = current();
  if (!cur || ctx.readOnly) return;
  if (event.target.id === "comment") {
    const s = ctx.sheet(cur.v, cur.p) || blankSheet(cur.v, cur.p);
    s.comment = event.target.value;
    s.dirty = true;
    await saveSheet(s);
    refreshStatus();
    return;
  }
  if (!event.target.classList.contains("score-input")) return;
  const row = event.target.closest(".item");
  const got = parseScore(event.target.value, Number(event.target.dataset.max));
  showError(row, got.error);
  if (!got.error) await setItem(row, got.value);
}

function onBlur(event) {
  if (!event.target.classList || !event.target.classList.contains("score-input")) return;
  const row = event.target.closest(".item");
  if (!row.classList.contains("invalid")) return;
  const cur = current();
  const s = ctx.sheet(cur.v, cur.p);
  const kept = s ? s.items[row.dataset.item] : null;
  event.target.value = filled(kept) ? String(kept) : "";
  showError(row, `${row.querySelector(".item-error").textContent}（已恢复为原来的分数）`);
  row.classList.remove("invalid");
}

async function onClick(event) {
  const step = event.target.closest(".step");
  if (step && !ctx.readOnly) {
    const row = step.closest(".item");
    const input = row.querySelector(".score-input");
    const max = Number(input.dataset.max);
    const cur = current();
    const s = ctx.sheet(cur.v, cur.p);
    const old = s && filled(s.items[row.dataset.item]) ? s.items[row.dataset.item] : null;
    const value = stepValue(old, Number(step.dataset.step), max);
    input.value = String(value);
    showError(row, "");
    await setItem(row, value);
    return;
  }
  if (event.target.id === "submit" && !ctx.readOnly) await submit();
}

async function submit() {
  const cur = current();
  const s = ctx.sheet(cur.v, cur.p);
  const body = { village: cur.v.code, paper: cur.p, items: { ...s.items }, comment: s.comment };
  s.dirty = false;
  await saveSheet(s);
  await outbox.enqueue(s.key, app.state.round.id, app.state.judge.code, body);
  app.outbox = await outbox.entries();
  location.hash = "";
  sync(true);
}

async function onResult(entry, result) {
  if (result.ok) {
    const s = app.sheets.get(entry.sheetKey);
    if (s) { s.version = Math.max(s.version || 0, result.sheet.version); await saveSheet(s); }
  } else if (result.code === "round_locked" && app.state.round.status === "open") {
    app.state.round.status = "locked";
    app.state.round.status_name = "已锁定";
    await db.put("kv", "state", app.state);
    render();
  }
  app.outbox = await outbox.entries();
  refreshStatus();
}

async function sync(force = false) {
  if (!app.state) return;
  await outbox.flush(app.state.round.id, app.state.judge.code, onResult, force);
  app.outbox = await outbox.entries();
  refreshStatus();
}

async function start() {
  const view = $("#view");
  view.addEventListener("input", onInput);
  view.addEventListener("click", onClick);
  view.addEventListener("focusout", onBlur);
  window.addEventListener("hashchange", () => render(true));
  window.addEventListener("online", () => { refreshStatus(); refresh(); });
  window.addEventListener("offline", refreshStatus);
  document.addEventListener("visibilitychange", () => { if (!document.hidden) sync(); });
  setInterval(() => sync(), 5000);
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/judge/sw.js", { scope: "/judge" }).catch(() => {});
    navigator.serviceWorker.ready.then(() => { document.body.dataset.offline = "ready"; });
  }
  const cached = (await db.get("kv", "state")) || null;
  if (cached && cached.mode === "contest") return toContest(cached);
  app.state = cached;
  if (app.state) { await loadSheets(); render(); }
  await refresh();
  document.body.dataset.app = "ready";
}

// A contest judge's link: the same app shell, offline store and outbox, one contest sheet.
async function toContest(state) {
  app.contest = true;
  const view = $("#view");
  view.replaceWith(view.cloneNode(false)); // the round views' listeners stay with the old node
  await (await import("./contest.js")).start(state);
}

start();
