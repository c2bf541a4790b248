// 评委评分应用：离线优先。所有改动先存本机，提交的评分表经发件箱发往服务器；
// 服务器确认过的评分表在本机留一份（直到本轮公布），定时核对，服务器丢了就补传。
import * as db from "./db.js";
import * as heal from "./heal.js";
import * as net from "./net.js";
import * as outbox from "./outbox.js";
import { parseScore, showError, stepValue } from "./entry.js";
import { latest } from "./latest.js";
import { checkView, doneView, PAPERS, routeView, sheetView, totalText } from "./views.js";

const $ = (sel) => document.querySelector(sel);
const CHECK_EVERY = 20000;
const app = { state: null, sheets: new Map(), outbox: [], denied: false, contest: false, live: null };

const key = (village, paper) => `${app.state.round.id}:${app.state.judge.code}:${village}:${paper}`;
const filled = (v) => v !== null && v !== undefined;

function pendingStatus(e) {
  if (e.final && e.resend && e.code === "round_locked") {
    return { cls: "failed", text: "服务器缺少这份表，但本轮已锁定：请联系组织部，解锁后自动补传" };
  }
  if (e.final || e.attention) return { cls: "failed", text: `提交失败（${e.error}）` };
  if (outbox.sending(e.key)) return { cls: "sending", text: e.resend ? "正在补传…" : "正在提交…" };
  if (e.code === "offline" || !net.isUp()) {
    return { cls: "pending", text: e.resend ? "待补传（恢复网络后自动发送）" : "待发送（恢复网络后自动发送）" };
  }
  if (e.error) return { cls: "pending", text: `待重发（${e.error}）` };
  return { cls: "sending", text: e.resend ? "正在补传…" : "正在提交…" };
}

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
    if (pending) return pendingStatus(pending);
    if (s && s.dirty) return { cls: "saved", text: s.version ? "本机已保存（修改未提交）" : "本机已保存" };
    if (s && s.stuck) return { cls: "failed", text: "服务器缺少这份表且补传未成功，请联系组织部" };
    if (s && s.voided) return { cls: "voided", text: "已被组织部作废，请重新评分并提交" };
    if (s && s.ack && s.held === false) return { cls: "pending", text: "服务器缺少这份表，正在补传" };
    if (s && (s.ack || s.version)) return { cls: "submitted", text: "已提交" };
    return { cls: "empty", text: "未填" };
  },
  // The stop after this village on the bus's route that this judge scores.
  nextStop(v) { return app.state.villages.find((x) => x.stop > v.stop) || null; },
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

// The server holds a later sheet than this tablet's (another device, an organiser's entry): keep
// it as this tablet's copy too, so the tablet can bring it back should the server lose it.
async function adopt(v, p, server, record) {
  const s = ctx.sheet(v, p) || blankSheet(v, p);
  if (!s.dirty) { s.items = { ...server.items }; s.comment = server.comment; }
  const k = outbox.newKey();
  const body = { village: v.code, paper: p, items: { ...server.items }, comment: server.comment, idempotency_key: k };
  s.ack = { key: k, seq: Date.now() * 1000, url: null, body, digest: record.digest, at: record.at,
    version: record.version, precise: true };
  Object.assign(s, { version: record.version, held: true, voided: false, stuck: false });
  await saveSheet(s);
}

// Compare every sheet with the server's records; re-send what the server lost.
async function reconcile(rec) {
  const out = { queued: 0, needState: false };
  if (!app.state || rec.round !== app.state.round.id) return out;
  if (rec.status === "published") {
    // Published: the results are final, this tablet's copies have done their job.
    for (const s of app.sheets.values()) if (s.ack) { s.ack = null; s.held = true; await saveSheet(s); }
    return out;
  }
  const records = new Map(rec.sheets.map((r) => [key(r.village, r.paper), r]));
  app.outbox = await outbox.entries();
  for (const v of app.state.villages) {
    for (const p of PAPERS) {
      const k = key(v.code, p);
      if (app.outbox.some((e) => e.sheetKey === k)) continue; // a newer one is on its way
      const local = app.sheets.get(k);
      const record = records.get(k) || null;
      const what = heal.decide(local, record);
      if (what === "held") {
        const same = local.held && local.ack.precise && local.ack.at === record.at
          && local.version === record.version && !local.voided && !local.stuck;
        if (same) continue; // nothing new: no write to the tablet's storage every 20 s
        Object.assign(local.ack, { at: record.at, precise: true, version: record.version });
        Object.assign(local, { held: true, version: record.version, voided: false, stuck: false });
        await saveSheet(local);
      } else if (what === "resend") {
        local.held = false;
        if (local.ack.replayed) local.stuck = true; // the server answered "already have it" before
        await saveSheet(local);
        if (!local.stuck && await outbox.resend(local.ack, k, app.state.round.id, app.state.judge.code)) out.queued += 1;
      } else if (what === "adopt") {
        const server = v.sheets[p];
        if (!server || server.version !== record.version) out.needState = true;
        else await adopt(v, p, server, record);
      } else if (what === "voided") {
        Object.assign(local, { ack: null, voided: true, held: true, version: record.version });
        await saveSheet(local);
      }
    }
  }
  app.outbox = await outbox.entries();
  return out;
}

async function fetchState() {
  const r = await net.request("/judge/api/state", { headers: { Accept: "application/json" } }, 10000);
  if (!r) return { failed: true };
  if (r.status === 401 || r.status === 403) return { denied: true };
  if (!r.ok) return { failed: true };
  try { return { state: await r.json() }; } catch (_) { return { failed: true }; }
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
    app.denied = false;
    await db.put("kv", "state", got.state);
    await loadSheets();
    const rec = await heal.records(`/api/v1/rounds/${app.state.round.id}/my-sheets`);
    if (rec) await reconcile(rec);
    if (wasLocked && app.state.round.status === "open") await outbox.retryLocked();
    openLive();
  } else if (got.denied) {
    app.denied = true;
  }
  // Never pull the page from under a judge who is typing: only the status chips change then.
  const typing = document.activeElement && document.activeElement.matches("input, textarea");
  if (typing && before === (app.state && app.state.round.status)) refreshStatus();
  else render();
  sync(true);
}

const check = latest(checkNow);

async function checkNow() {
  if (app.contest || !app.state) return;
  const rec = await heal.records(`/api/v1/rounds/${app.state.round.id}/my-sheets`);
  if (!rec) return;
  const out = await reconcile(rec);
  refreshStatus();
  if (out.needState) refresh();
  else if (out.queued) sync(true);
}

let soon = null;
function checkSoon() { // after acknowledgments: learn their exact times from the server
  clearTimeout(soon);
  soon = setTimeout(check, 1500);
}

// The round's live channel: its snapshot after every (re)connect tells that the server is back,
// even when the browser saw no `online` event (a restarted server fires none).
function openLive() {
  if (app.live || !window.ArenaLive || !app.state) return;
  // Only a drop of a socket that was live says the server went away: a socket that never
  // connects (a proxy without WebSockets) must not call a working connection broken.
  let live = false;
  app.live = window.ArenaLive.open(`/ws/rounds/${app.state.round.id}`, {
    heartbeatSeconds: 15,
    onData: (data, type) => { if (type === "snapshot") { live = true; net.answered(); check(); } },
    onState: (state) => { if (state === "offline" && live) { live = false; net.unreachable(); } },
  });
}

function bannerText() {
  if (app.denied) {
    return app.state ? "登录已失效：已填的分数仍保存在本机，请重新打开您的个人链接后自动发送。"
      : "请打开组织部发给您的个人链接，或扫描评委卡上的二维码。";
  }
  if (!navigator.onLine) {
    return app.state ? "当前离线：已填的分数都保存在本机，评分照常进行，恢复网络后自动发送。"
      : "网络不通，且本机还没有本轮数据。请在有信号的地方打开个人链接一次。";
  }
  if (!net.isUp()) {
    return app.state ? "连不上服务器：已填的分数都保存在本机，评分照常进行，连上后自动发送。"
      : "连不上服务器，且本机还没有本轮数据。请稍后再打开个人链接。";
  }
  return "";
}

function header() {
  if (app.contest) return;
  const st = app.state;
  const waiting = app.outbox.filter((e) => !e.final).length;
  const refused = app.outbox.filter((e) => e.final).length;
  $("#round-name").textContent = st ? st.round.name : "评委评分";
  $("#judge-name").textContent = st ? `评委：${st.judge.name}` : "";
  const status = $("#round-status");
  status.textContent = st ? st.round.status_name : "";
  status.className = `badge ${st && st.round.status !== "open" ? "locked" : "open"}`;
  const net$ = $("#network");
  const up = net.isUp();
  net$.textContent = !navigator.onLine ? "离线" : up ? "在线" : "连不上服务器";
  net$.className = `badge ${up ? "online" : "offline"}`;
  const box = $("#outbox-count");
  box.dataset.count = String(waiting);
  box.dataset.refused = String(refused);
  if (waiting) box.textContent = up ? `正在发送 ${waiting} 份` : `待发送 ${waiting} 份，恢复网络后自动发送`;
  else box.textContent = refused ? `${refused} 份未被接收` : "全部已发送";
  const banner = $("#banner");
  banner.textContent = bannerText();
  banner.hidden = !banner.textContent;
}

const ROUTE = /^#v\/([^/]+)\/(shared|demonstration)(?:\/(check|done))?$/;

function render(top = false) {
  if (app.contest) return;
  header();
  const main = $("#view");
  if (!app.state) { main.innerHTML = ""; return; }
  const [, code, paper, step] = (location.hash.match(ROUTE) || []);
  const v = code && village(code);
  if (v && step === "check") main.innerHTML = checkView(ctx, v, paper);
  else if (v && step === "done") main.innerHTML = doneView(ctx, v, paper);
  else if (v) main.innerHTML = sheetView(ctx, v, paper);
  else main.innerHTML = routeView(ctx);
  main.dataset.view = v ? (step || "sheet") : "route";
  if (top) window.scrollTo(0, 0);
}

function refreshStatus() {
  header();
  if (!app.state) return;
  for (const el of document.querySelectorAll("[data-status-for]")) {
    const [, , code, p] = el.dataset.statusFor.split(":");
    const v = village(code);
    if (!v) continue;
    const st = ctx.status(v, p);
    el.className = `chip ${st.cls}`;
    el.textContent = st.text;
  }
  const done = document.querySelector("[data-confirm-for]");
  if (done) {
    const [code, p] = done.dataset.confirmFor.split(":");
    const v = village(code);
    if (v) done.outerHTML = doneView(ctx, v, p, true);
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
  if (!cur || !cur.v || ctx.readOnly) return;
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
  s.stuck = false;
  await saveSheet(s);
  await outbox.enqueue(s.key, app.state.round.id, app.state.judge.code, body);
  app.outbox = await outbox.entries();
  location.hash = `#v/${cur.v.code}/${cur.p}/done`;
  sync(true);
}

async function onResult(entry, result) {
  if (result.ok) {
    const s = app.sheets.get(entry.sheetKey);
    // An older version still in flight must not replace the copy of a newer one.
    if (s && result.sheet && (!s.ack || entry.seq >= s.ack.seq)) {
      s.ack = heal.ackOf(entry, result.sheet, entry.seq);
      if (entry.resend && result.status === 200) s.ack.replayed = true;
      Object.assign(s, { version: result.sheet.version, held: true, voided: false, stuck: false });
      await saveSheet(s);
    }
    checkSoon();
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
  if (!app.state || app.contest) return;
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
  window.addEventListener("offline", () => { net.unreachable(); refreshStatus(); });
  // Connection back after failures (any request answered): send everything now, then compare.
  net.on("up", () => { refreshStatus(); sync(true); refresh(); });
  net.on("down", () => refreshStatus());
  document.addEventListener("visibilitychange", () => { if (!document.hidden) { sync(); check(); } });
  setInterval(() => sync(), 5000);
  setInterval(() => check(), CHECK_EVERY);
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
  if (app.live) { app.live.close(); app.live = null; }
  const view = $("#view");
  view.replaceWith(view.cloneNode(false)); // the round views' listeners stay with the old node
  await (await import("./contest.js")).start(state);
}

start();
