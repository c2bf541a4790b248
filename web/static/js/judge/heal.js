// 平板是第二份副本：本机保留每一份服务器确认过的评分表（直到本轮公布），定时并在每次
// 重新连上时与服务器核对；服务器缺少或存着更早的版本时，用原来的幂等键补传。
//
// The rule (arena/services/tablets.py says the same): compare the server's newest record of the
// sheet with the tablet's acknowledged copy —
//   same digest                                  → "held": the server holds it (已提交);
//   no record, or a record written before the    → "resend": the server lost it (an older
//     server acknowledged the tablet's copy           backup, lost commits) — send it again;
//   a record written at or after that moment     → "adopt" (or "voided"): a later decision
//     (another device, an organiser's entry or void)  by the server's clock wins, as it would
//                                                     have had nothing been lost.
import * as net from "./net.js";
import { sheetDigest } from "./digest.js";

// A server time as a string that sorts in time order, to the microsecond ("…T12:00:05.250000").
export function moment(iso) {
  const m = String(iso || "").match(/^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,6}))?/);
  return m ? `${m[1]}.${(m[2] || "").padEnd(6, "0")}` : "";
}

// True when `ack` (the tablet's acknowledged copy) is later than the server's `record`.
function ackIsLater(ack, record) {
  const a = moment(ack.at);
  const r = moment(record.at);
  if (!ack.precise && a.slice(0, 19) === r.slice(0, 19)) {
    // The answer to a write gives whole seconds; within the same second the version decides.
    return (ack.version || 0) > (record.version || 0);
  }
  return a > r;
}

export function decide(local, record) {
  const ack = local && local.ack;
  if (!ack) return record && !record.voided ? "adopt" : "none";
  if (record && !record.voided && record.digest === ack.digest) return "held";
  if (!record || ackIsLater(ack, record)) return "resend";
  return record.voided ? "voided" : "adopt";
}

// The acknowledged copy kept after a 200/201: what to send again, and what to compare.
export function ackOf(entry, sheet, seq) {
  const { resend, ...body } = entry.body;
  return {
    key: entry.key, seq, url: entry.url || null, body,
    digest: sheetDigest(sheet.items, sheet.comment || ""), at: sheet.submitted_at,
    version: sheet.version, precise: false,
  };
}

// The server's records of this judge's sheets, or null when they could not be read.
export async function records(path) {
  const r = await net.request(path, { headers: { Accept: "application/json" }, cache: "no-store" }, 10000);
  if (!r || !r.ok) return null;
  try { return await r.json(); } catch (_) { return null; }
}
