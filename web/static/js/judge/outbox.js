// 发件箱：已提交的评分表先存本机，再逐份发往服务器。每个提交版本在本机生成一个幂等键，
// 随发件箱条目保存，重发时沿用同一个键，服务器因此绝不会把同一版本记两次。
//
// Sending: oldest first. While the network is down nothing is tried more often than every few
// seconds, and being offline never pushes a sheet's own retry time back (only a server's refusal
// or error does). As soon as any request succeeds, every waiting sheet is due at once: the first
// goes out alone (a probe, unless another request has just succeeded), the rest follow
// `PARALLEL` at a time, started oldest first. A flush asked for while one runs is not dropped:
// it runs again right after.
import * as db from "./db.js";
import * as net from "./net.js";

const MAX_DELAY = 60000;
const PARALLEL = 4;
const OFFLINE_PROBE = 4000; // while unreachable, a timer-driven flush tries at most this often
let running = null;
let again = false;
let againForce = false;
let lastFail = 0;
const inflight = new Set();

export function newKey() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
}

export async function entries() {
  const list = await db.all("outbox");
  return list.sort((a, b) => a.seq - b.seq);
}

function nextSeq() { return Date.now() * 1000 + Math.floor(Math.random() * 1000); }

async function supersede(sheetKey) {
  for (const e of await entries()) {
    if (e.sheetKey === sheetKey) await db.del("outbox", e.key);
  }
}

// `url`: where the entry goes (default: the round's sheets; contest scores name their own).
export async function enqueue(sheetKey, roundId, judge, body, url = null) {
  // A newer version of the same sheet supersedes older ones that have not reached the server.
  await supersede(sheetKey);
  const key = newKey();
  const entry = {
    key, seq: nextSeq(), sheetKey, roundId, judge, url,
    body: { ...body, idempotency_key: key }, attempts: 0, nextAt: 0, error: null, code: null, final: false,
  };
  await db.put("outbox", key, entry);
  return entry;
}

// Send again a sheet the server acknowledged once but no longer holds: the same idempotency key
// and body as the first time, marked `resend`, in its original place in the order.
export async function resend(ack, sheetKey, roundId, judge) {
  for (const e of await entries()) if (e.sheetKey === sheetKey) return null; // a newer one waits
  const entry = {
    key: ack.key, seq: ack.seq, sheetKey, roundId, judge, url: ack.url || null,
    body: { ...ack.body, resend: true }, attempts: 0, nextAt: 0, error: null, code: null,
    final: false, resend: true,
  };
  await db.put("outbox", ack.key, entry);
  return entry;
}

function reason(status, answer) {
  const code = answer && answer.error ? answer.error.code : "";
  if (status === 403 && code === "round_locked") return { text: "本轮已锁定", final: true, code };
  if (status === 403 && code === "recused") return { text: "您已回避该村", final: true, code };
  if (status === 401) return { text: "登录已失效，请重新打开您的个人链接", final: false, code, attention: true };
  if (status === 403 && code === "csrf") return { text: "请求被拒绝，请刷新页面", final: false, code, attention: true };
  if (status >= 500) return { text: "服务器暂时无法处理，稍后自动重发", final: false, code: code || "server" };
  const message = answer && answer.error ? answer.error.message : `服务器拒收（${status}）`;
  return { text: message, final: true, code };
}

async function send(entry) {
  const r = await net.request(entry.url || `/api/v1/rounds/${entry.roundId}/sheets`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-Arena-Request": "1" },
    body: JSON.stringify(entry.body),
  });
  if (!r) return { status: 0, answer: null };
  let answer = null;
  try { answer = await r.json(); } catch (_) { answer = null; }
  return { status: r.status, answer };
}

// One entry: send it, then record the outcome. True when the server answered (any status).
async function deliver(entry, onResult) {
  inflight.add(entry.key);
  let result;
  try { result = await send(entry); } finally { inflight.delete(entry.key); }
  if (result.status === 200 || result.status === 201) {
    await db.del("outbox", entry.key);
    await onResult(entry, { ok: true, status: result.status, sheet: result.answer.sheet, answer: result.answer });
    return true;
  }
  if (result.status === 0) {
    // Offline: the entry waits as it is; its own back-off is for the server's errors only.
    entry.error = "网络不通，恢复后自动发送";
    entry.code = "offline";
    if (await db.get("outbox", entry.key)) await db.put("outbox", entry.key, entry);
    lastFail = Date.now();
    await onResult(entry, { ok: false, error: entry.error, code: "offline" });
    return false;
  }
  const why = reason(result.status, result.answer);
  entry.attempts += 1;
  entry.error = why.text;
  entry.code = why.code;
  entry.final = why.final;
  entry.attention = Boolean(why.attention);
  entry.nextAt = Date.now() + Math.min(MAX_DELAY, 2000 * 2 ** (entry.attempts - 1));
  if (await db.get("outbox", entry.key)) await db.put("outbox", entry.key, entry);
  await onResult(entry, { ok: false, error: why.text, code: why.code });
  return true;
}

async function flushOnce(roundId, judge, onResult, force) {
  const now = Date.now();
  if (!force && !net.isUp() && now - lastFail < OFFLINE_PROBE) return;
  const due = (await entries()).filter((e) => e.roundId === roundId && e.judge === judge && !e.final
    && (force || e.code === "offline" || !e.nextAt || e.nextAt <= now));
  if (!due.length) return;
  let start = 0;
  if (!net.isUp() || !force) {
    // Not known to be reachable: one entry first, and stop there if nothing answers.
    if (!(await deliver(due[0], onResult))) return;
    start = 1;
  }
  let next = start;
  const worker = async () => {
    while (next < due.length) {
      const entry = due[next];
      next += 1;
      if (!(await deliver(entry, onResult))) { next = due.length; return; }
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL, due.length - start) }, worker));
}

// Send every due entry of this judge, oldest first; `onResult(entry, result)` sees each outcome.
// `force`: the network just came back or the judge just submitted — everything is due now.
export function flush(roundId, judge, onResult, force = false) {
  if (running) {
    again = true;
    againForce = againForce || force;
    return running;
  }
  running = (async () => {
    try {
      let f = force;
      do {
        again = false;
        await flushOnce(roundId, judge, onResult, f);
        f = againForce;
        againForce = false;
      } while (again);
    } finally {
      running = null;
    }
  })();
  return running;
}

export function sending(key) { return inflight.has(key); }

// After an organiser unlocks the round, entries refused as locked may be sent again.
export async function retryLocked() {
  for (const e of await entries()) {
    if (e.final && e.code === "round_locked") {
      Object.assign(e, { final: false, nextAt: 0, error: null });
      await db.put("outbox", e.key, e);
    }
  }
}
