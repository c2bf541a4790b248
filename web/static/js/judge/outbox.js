// 发件箱：已提交的评分表先存本机，再逐份发往服务器。每个提交版本在本机生成一个幂等键，
// 随发件箱条目保存，重发时沿用同一个键，服务器因此绝不会把同一版本记两次。
import * as db from "./db.js";

const MAX_DELAY = 60000;
const TIMEOUT = 15000;
let flushing = null;

export function newKey() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
}

export async function entries() {
  const list = await db.all("outbox");
  return list.sort((a, b) => a.seq - b.seq);
}

// `url`: where the entry goes (default: the round's sheets; contest scores name their own).
export async function enqueue(sheetKey, roundId, judge, body, url = null) {
  // A newer version of the same sheet supersedes older ones that have not reached the server.
  for (const e of await entries()) {
    if (e.sheetKey === sheetKey) await db.del("outbox", e.key);
  }
  const key = newKey();
  const entry = {
    key, seq: Date.now() * 1000 + Math.floor(Math.random() * 1000), sheetKey, roundId, judge, url,
    body: { ...body, idempotency_key: key }, attempts: 0, nextAt: 0, error: null, final: false,
  };
  await db.put("outbox", key, entry);
  return entry;
}

function reason(status, answer) {
  const code = answer && answer.error ? answer.error.code : "";
  if (status === 403 && code === "round_locked") return { text: "本轮已锁定", final: true, code };
  if (status === 403 && code === "recused") return { text: "您已回避该村", final: true, code };
  if (status === 401) return { text: "登录已失效，请重新打开您的个人链接", final: false, code };
  if (status === 403 && code === "csrf") return { text: "请求被拒绝，请刷新页面", final: false, code };
  if (status >= 500) return { text: "服务器暂时无法处理，稍后自动重发", final: false, code };
  const message = answer && answer.error ? answer.error.message : `服务器拒收（${status}）`;
  return { text: message, final: true, code };
}

async function send(entry) {
  const ctrl = new AbortController();
  const timer = setTimeout(() => ctrl.abort(), TIMEOUT);
  try {
    const r = await fetch(entry.url || `/api/v1/rounds/${entry.roundId}/sheets`, {
      method: "POST", credentials: "same-origin", signal: ctrl.signal,
      headers: { "Content-Type": "application/json", "X-Arena-Request": "1" },
      body: JSON.stringify(entry.body),
    });
    let answer = null;
    try { answer = await r.json(); } catch (_) { answer = null; }
    return { status: r.status, answer };
  } catch (_) {
    return { status: 0, answer: null };
  } finally {
    clearTimeout(timer);
  }
}

// Send every due entry of this judge, oldest first; `onResult(entry, result)` sees each outcome.
export function flush(roundId, judge, onResult, force = false) {
  if (flushing) return flushing;
  flushing = (async () => {
    try {
      for (const entry of await entries()) {
        if (entry.roundId !== roundId || entry.judge !== judge || entry.final) continue;
        if (!force && entry.nextAt > Date.now()) continue;
        const result = await send(entry);
        if (result.status === 200 || result.status === 201) {
          await db.del("outbox", entry.key);
          await onResult(entry, { ok: true, sheet: result.answer.sheet, answer: result.answer });
          continue;
        }
        const why = result.status === 0
          ? { text: "网络不通，恢复后自动重发", final: false, code: "offline" }
          : reason(result.status, result.answer);
        entry.attempts += 1;
        entry.error = why.text;
        entry.code = why.code;
        entry.final = why.final;
        entry.nextAt = Date.now() + Math.min(MAX_DELAY, 2000 * 2 ** (entry.attempts - 1));
        if (await db.get("outbox", entry.key)) await db.put("outbox", entry.key, entry);
        await onResult(entry, { ok: false, error: why.text, code: why.code });
        if (result.status === 0) break; // offline: the rest would fail the same way
      }
    } finally {
      flushing = null;
    }
  })();
  return flushing;
}

// After an organiser unlocks the round, entries refused as locked may be sent again.
export async function retryLocked() {
  for (const e of await entries()) {
    if (e.final && e.code === "round_locked") {
      Object.assign(e, { final: false, nextAt: 0, error: null });
      await db.put("outbox", e.key, e);
    }
  }
}
