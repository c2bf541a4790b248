// 擂台赛评分页面的视图：纯函数，输入数据，输出 HTML 字符串（样式与拉练评分表相同）。
import { esc, fmt } from "./views.js";

const filled = (v) => v !== null && v !== undefined;

export function sheetTotal(criteria, sheet) {
  let sum = 0; let count = 0;
  for (const c of criteria) {
    const v = sheet.items[c.code];
    if (filled(v)) { sum += v; count += 1; }
  }
  return { sum: Math.round(sum * 100) / 100, count };
}

function who(st) {
  const c = st.current;
  return `<div class="stop contest-who" data-contestant="${esc(c.code)}">
    <div class="stop-head"><span class="stop-no">第 ${c.position} 位出场</span>
      <span class="stop-name" id="contestant-name">${esc(c.name)}</span>
      <span class="stop-place">${esc(c.post)} · ${esc(c.unit)}</span></div></div>`;
}

function history(st) {
  const done = Object.entries(st.scores);
  if (!done.length) return "";
  const rows = done.map(([, s]) => `<li><span>${esc(s.name)}</span><b>${fmt(s.total)} 分</b></li>`).join("");
  return `<section class="contest-history"><h3>我已评分的选手（${done.length} / ${st.contest.contestants}）</h3>
    <ul>${rows}</ul></section>`;
}

export function waitHtml(st) {
  let body;
  if (st.contest.status === "finished") body = `<p class="notice">比赛已结束，感谢您的评审。</p>`;
  else if (!st.current) body = `<p class="notice">等待选手上场。主持人开始打分后，评分表会自动出现在这里。</p>`;
  else {
    const text = st.phase === "closed" || st.phase === "revealed"
      ? "该选手的打分已经结束。" : "主持人「开始打分」后，评分表会自动出现在这里，无需刷新。";
    body = `${who(st)}<p class="notice" id="wait-text"><span class="chip sending">${esc(st.phase_name)}</span> ${text}</p>`;
  }
  return `<h2 class="view-title">擂台赛评分</h2>${body}${history(st)}`;
}

export function totalHtml(st, sheet) {
  const t = sheetTotal(st.criteria, sheet);
  return `合计 <strong>${fmt(t.sum)}</strong> / ${fmt(st.max)} 分
    <span class="filled">已打分 ${t.count}/${st.criteria.length} 项</span>`;
}

export function sheetHtml(st, sheet) {
  const items = st.criteria.map((item) => {
    const val = sheet.items[item.code];
    return `<li class="item" data-item="${esc(item.code)}">
      <div class="item-text"><div class="item-name">${esc(item.name)}
        <span class="item-max">满分 ${fmt(item.max)} 分</span></div>
        ${item.guide ? `<div class="item-guide">${esc(item.guide)}</div>` : ""}</div>
      <div class="stepper">
        <button type="button" class="step minus" data-step="-0.5" aria-label="减 0.5 分">−</button>
        <input class="score-input" inputmode="decimal" autocomplete="off"
          aria-label="${esc(item.name)}得分（0～${fmt(item.max)}）" data-max="${item.max}"
          value="${filled(val) ? fmt(val) : ""}" placeholder="分数">
        <button type="button" class="step plus" data-step="0.5" aria-label="加 0.5 分">＋</button>
      </div>
      <div class="item-error" role="alert" hidden></div></li>`;
  }).join("");
  return `${who(st)}
    <p class="notice open-now">评委打分中：请为该选手打分，每位选手只能提交一次。</p>
    <ol class="items">${items}</ol>
    <div class="sheet-foot">
      <div class="running-total" id="running-total">${totalHtml(st, sheet)}</div>
      <a class="button primary" id="to-check" href="#check">核对并提交</a>
    </div>`;
}

export function checkHtml(st, sheet) {
  const missing = st.criteria.filter((c) => !filled(sheet.items[c.code]));
  const rows = st.criteria.map((c) => `<tr><th scope="row">${esc(c.name)}</th>
    <td class="num">${fmt(sheet.items[c.code])}</td><td class="num">${fmt(c.max)}</td></tr>`).join("");
  return `<div class="sheet-head"><a class="back" href="#">‹ 返回修改</a>
      <h2 class="view-title">核对：${esc(st.current.name)}</h2></div>
    <table class="check"><thead><tr><th>评分标准</th><th class="num">得分</th><th class="num">满分</th></tr></thead>
      <tbody>${rows}</tbody>
      <tfoot><tr><th scope="row">合计</th><td class="num" id="check-total">${fmt(sheetTotal(st.criteria, sheet).sum)}</td>
        <td class="num">${fmt(st.max)}</td></tr></tfoot></table>
    ${missing.length ? `<p class="notice warn">还有 ${missing.length} 项未打分：${missing.map((c) => esc(c.name)).join("、")}</p>` : ""}
    <p class="notice">提交后不能修改，请确认无误。</p>
    <div class="sheet-foot">
      <a class="button" href="#">返回修改</a>
      <button type="button" class="button primary" id="submit" ${missing.length ? "disabled" : ""}>确认提交</button>
    </div>`;
}

// After submitting: 已提交 with the total, still on its way, or refused (with why, in Chinese).
export function doneHtml(st, score, entry, refused) {
  let status;
  if (score) status = `<p class="notice done" id="done-status"><span class="chip submitted">已提交</span> 合计 <strong>${fmt(score.total)}</strong> 分，感谢！</p>`;
  else if (entry && entry.final) status = `<p class="notice warn" id="done-status">${esc(refused || entry.error)}</p>`;
  else if (entry && entry.attention) status = `<p class="notice warn" id="done-status"><span class="chip failed">提交失败</span> ${esc(entry.error)}</p>`;
  else if (entry && entry.code === "offline") status = `<p class="notice" id="done-status"><span class="chip pending">${entry.resend ? "待补传" : "待发送"}（恢复网络后自动发送）</span></p>`;
  else if (entry && entry.error) status = `<p class="notice" id="done-status"><span class="chip pending">待重发（${esc(entry.error)}）</span></p>`;
  else status = `<p class="notice" id="done-status"><span class="chip sending">${entry && entry.resend ? "正在补传…" : "正在提交…"}</span></p>`;
  const items = score ? score.items : entry ? entry.body.items : {};
  const rows = st.criteria.map((c) => `<tr><th scope="row">${esc(c.name)}</th>
    <td class="num">${fmt(items[c.code])}</td><td class="num">${fmt(c.max)}</td></tr>`).join("");
  return `${who(st)}${status}<table class="check"><thead><tr><th>评分标准</th><th class="num">我的评分</th>
    <th class="num">满分</th></tr></thead><tbody>${rows}</tbody></table>${history(st)}`;
}
