// 擂台赛评委：同一个评委应用（本机存储、发件箱、离线缓存），只显示台上选手的一张评分表。
// 主持人「开始打分」时评分表自动出现（跟随擂台赛实时频道）；提交经发件箱带本机生成的幂等键发出。
// Scores the server acknowledged are kept on the tablet too (kv "acks:…") and compared with the
// server's record (my-scores) on every refresh, every 20 s and on every reconnect; one the server
// lost (an older backup) is re-sent with its original idempotency key, marked `resend`.
import * as db from "./db.js";
import * as heal from "./heal.js";
import * as net from "./net.js";
import * as outbox from "./outbox.js";
import { sheetDigest } from "./digest.js";
import { latest } from "./latest.js";
import { parseScore, showError, stepValue } from "./entry.js";
import { checkHtml, doneHtml, sheetHtml, totalHtml, waitHtml } from "./contest-views.js";

const $ = (sel) => document.querySelector(sel);
const app = { state: null, sheet: null, outbox: [], banner: "", shown: "", acks: {} };
const REFUSED = {
  scoring_closed: "打分未开放或已经结束，这份评分没有被接收。如有疑问请联系主持人。",
  already_scored: "您已为该选手打过分，不能重复打分。",
};

const box = () => `c${app.state.contest.id}`; // this contest's entries in the shared outbox
const sheetKey = (code) => `${box()}:${app.state.judge.code}:${code}`;
const pending = (code) => app.outbox.filter((e) => e.sheetKey === sheetKey(code)).pop();
const acksKey = () => `acks:${box()}:${app.state.judge.code}`;

function kind() {
  const st = app.state;
  const c = st.current;
  if (!c) return "wait";
  if (st.scores[c.code] || pending(c.code)) return "done";
  if (st.phase !== "scoring") return "wait";
  return location.hash === "#check" ? "check" : "sheet";
}

async function loadSheet() {
  const c = app.state.current;
  if (!c) { app.sheet = null; return; }
  const key = sheetKey(c.code);
  if (app.sheet && app.sheet.key === key) return;
  app.sheet = (await db.get("sheets", key)) || { key, contestant: c.code, items: {} };
}

function header() {
  const st = app.state;
  const waiting = app.outbox.filter((e) => !e.final).length;
  $("#round-name").textContent = st.contest.name;
  $("#judge-name").textContent = `${st.judge.label}：${st.judge.name}`;
  const status = $("#round-status");
  status.textContent = st.contest.status === "running" && st.current ? st.phase_name : st.contest.status_name;
  status.className = `badge ${st.phase === "scoring" ? "open" : "locked"}`;
  const net$ = $("#network");
  net$.textContent = navigator.onLine ? "在线" : "离线";
  net$.className = `badge ${navigator.onLine ? "online" : "offline"}`;
  const count = $("#outbox-count");
  count.dataset.count = String(waiting);
  const up = net.isUp();
  count.textContent = waiting ? (up ? `正在发送 ${waiting} 份` : `待发送 ${waiting} 份，恢复网络后自动发送`) : "全部已发送";
  if (!navigator.onLine) net$.textContent = "离线";
  else if (!up) { net$.textContent = "连不上服务器"; net$.className = "badge offline"; }
  let banner = app.banner;
  if (!banner && !navigator.onLine) banner = "当前离线：已打的分数保存在本机，恢复网络后自动发送。";
  else if (!banner && !up) banner = "连不上服务器：已打的分数保存在本机，连上后自动发送。";
  $("#banner").textContent = banner;
  $("#banner").hidden = !banner;
}

function render(force = false) {
  header();
  const k = kind();
  const c = app.state.current;
  const entry = c && pending(c.code);
  const shown = [k, c && c.code, app.state.phase, entry && entry.error, c && app.state.scores[c.code] ? 1 : 0].join("|");
  // Never pull the sheet from under a judge who is typing: the same sheet stays as it is.
  if (!force && shown === app.shown) return;
  app.shown = shown;
  const view = $("#view");
  const st = app.state;
  if (k === "sheet") view.innerHTML = sheetHtml(st, app.sheet);
  else if (k === "check") view.innerHTML = checkHtml(st, app.sheet);
  else if (k === "done") view.innerHTML = doneHtml(st, st.scores[c.code], entry, entry && REFUSED[entry.code]);
  else view.innerHTML = waitHtml(st);
  view.dataset.view = `contest-${k}`;
}

const refresh = latest(refreshNow);

async function refreshNow() {
  let got = null;
  const r = await net.request("/judge/api/state", { headers: { Accept: "application/json" } }, 10000);
  if (r && (r.status === 401 || r.status === 403)) app.banner = "登录已失效：请重新打开您的个人链接（已打的分数仍保存在本机）。";
  else if (r && r.ok) { try { got = await r.json(); } catch (_) { got = null; } }
  if (got && got.mode !== "contest") { // this device's link now belongs to a field round
    await db.put("kv", "state", got);
    location.reload();
    return;
  }
  if (got) {
    app.state = got;
    app.banner = "";
    await db.put("kv", "state", got);
    await compare();
  }
  await loadSheet();
  app.outbox = await outbox.entries();
  render();
}

async function setItem(row, value) {
  app.sheet.items = { ...app.sheet.items, [row.dataset.item]: value };
  await db.put("sheets", app.sheet.key, app.sheet);
  $("#running-total").innerHTML = totalHtml(app.state, app.sheet);
}

async function onInput(event) {
  if (!event.target.classList.contains("score-input") || kind() !== "sheet") return;
  const row = event.target.closest(".item");
  const got = parseScore(event.target.value, Number(event.target.dataset.max));
  showError(row, got.error);
  if (!got.error) await setItem(row, got.value);
}

function onBlur(event) {
  if (!event.target.classList || !event.target.classList.contains("score-input")) return;
  const row = event.target.closest(".item");
  if (!row.classList.contains("invalid")) return;
  const kept = app.sheet.items[row.dataset.item];
  event.target.value = kept === null || kept === undefined ? "" : String(kept);
  showError(row, `${row.querySelector(".item-error").textContent}（已恢复为原来的分数）`);
  row.classList.remove("invalid");
}

async function onClick(event) {
  const step = event.target.closest(".step");
  if (step && kind() === "sheet") {
    const row = step.closest(".item");
    const input = row.querySelector(".score-input");
    const old = app.sheet.items[row.dataset.item];
    const value = stepValue(old === undefined ? null : old, Number(step.dataset.step), Number(input.dataset.max));
    input.value = String(value);
    showError(row, "");
    await setItem(row, value);
    return;
  }
  if (event.target.id === "submit" && kind() === "check") await submit();
}

async function submit() {
  const st = app.state;
  const body = { contestant: st.current.code, items: { ...app.sheet.items } };
  await outbox.enqueue(app.sheet.key, box(), st.judge.code, body, `/api/v1/contests/${st.contest.id}/scores`);
  app.outbox = await outbox.entries();
  history.replaceState(null, "", location.pathname);
  render(true);
  sync(true);
}

// The server's record of this judge's scores against the tablet's copies: re-send what it lost.
async function compare() {
  app.acks = (await db.get("kv", acksKey())) || {};
  const rec = await heal.records(`/api/v1/contests/${app.state.contest.id}/my-scores`);
  if (!rec || rec.contest !== app.state.contest.id) return;
  const held = new Set(rec.scores.map((s) => s.contestant));
  let queued = 0;
  for (const [code, ack] of Object.entries(app.acks)) {
    if (held.has(code)) continue;
    if (await outbox.resend(ack, sheetKey(code), box(), app.state.judge.code)) queued += 1;
  }
  app.outbox = await outbox.entries();
  if (queued) sync(true);
}

const check = latest(async () => { await compare(); render(); });

async function onResult(entry, result) {
  if (result.ok && result.answer && result.answer.score) {
    const s = result.answer.score;
    const { resend, ...body } = entry.body;
    app.acks = (await db.get("kv", acksKey())) || {};
    app.acks[s.contestant] = { key: entry.key, seq: entry.seq, url: entry.url, body,
      digest: sheetDigest(s.items, "") };
    await db.put("kv", acksKey(), app.acks);
    app.state.scores[s.contestant] = { name: app.state.current ? app.state.current.name : "", items: s.items, total: s.total };
    await db.put("kv", "state", app.state);
  }
  app.outbox = await outbox.entries();
  render();
  if (result.ok) refresh();
}

async function sync(force = false) {
  await outbox.flush(box(), app.state.judge.code, onResult, force);
  app.outbox = await outbox.entries();
  render();
}

export async function start(cached) {
  app.state = cached;
  const view = $("#view");
  view.addEventListener("input", onInput);
  view.addEventListener("click", onClick);
  view.addEventListener("focusout", onBlur);
  window.addEventListener("hashchange", () => render(true));
  window.addEventListener("online", () => { header(); refresh(); sync(true); });
  window.addEventListener("offline", () => { net.unreachable(); header(); });
  net.on("up", () => { header(); sync(true); refresh(); });
  net.on("down", header);
  setInterval(() => sync(), 5000);
  setInterval(() => check(), 20000);
  await loadSheet();
  app.outbox = await outbox.entries();
  render(true);
  await refresh();
  let live = false; // only the drop of a live socket says the server went away
  window.ArenaLive.open(`/ws/contests/${app.state.contest.id}`, {
    heartbeatSeconds: 15,
    onData: (data, type) => { if (type === "snapshot") { live = true; net.answered(); } refresh(); },
    onState: (state) => { if (state === "offline" && live) { live = false; net.unreachable(); } },
  });
  sync(true);
  document.body.dataset.app = "ready";
}
