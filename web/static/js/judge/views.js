// 评分页面的各个视图：纯函数，输入数据，输出 HTML 字符串。
export function esc(value) {
  return String(value ?? "").replace(/[&<>"']/g, (c) => (
    { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
}

export function fmt(n) {
  if (n === null || n === undefined || Number.isNaN(n)) return "—";
  return String(Math.round(n * 100) / 100);
}

export const PAPERS = ["shared", "demonstration"];

function chip(st, key) {
  return `<span class="chip ${st.cls}" data-status-for="${esc(key)}">${esc(st.text)}</span>`;
}

function recusedStop(r) {
  return `<li class="stop recused" data-village="${esc(r.code)}" data-recused="1">
      <div class="stop-head"><span class="stop-no">第 ${r.stop} 站</span>
        <span class="stop-name">${esc(r.name)}</span>
        <span class="recused-mark">— 回避</span>
        <span class="stop-place">${esc(r.county)} ${esc(r.township)}</span></div>
      <p class="recused-note">您回避该村，不为其评分。</p></li>`;
}

export function routeView(ctx) {
  const { state } = ctx;
  const recused = state.recused || [];
  if (!state.villages.length) return `<p class="empty">本轮没有需要您评分的村。</p>`;
  const stops = [...state.villages.map((v) => ({ v })), ...recused.map((r) => ({ r }))]
    .sort((a, b) => (a.v || a.r).stop - (b.v || b.r).stop);
  const cards = stops.map(({ v, r }) => {
    if (r) return recusedStop(r);
    const rows = PAPERS.map((p) => {
      const s = ctx.sheet(v, p);
      const total = ctx.total(v, p);
      return `<a class="paper-row" href="#v/${esc(v.code)}/${p}" data-paper="${p}">
        <span class="paper-name">${esc(ctx.paperName(p))}</span>
        <span class="paper-total">${s && total.count ? `${fmt(total.sum)} / ${fmt(ctx.paperMax(v, p))} 分` : ""}</span>
        ${v.sheets && v.sheets[p] && v.sheets[p].check ? `<span class="chip check" data-check-for="${p}">请核对</span>` : ""}
        ${chip(ctx.status(v, p), ctx.key(v.code, p))}</a>`;
    }).join("");
    return `<li class="stop" data-village="${esc(v.code)}">
      <div class="stop-head"><span class="stop-no">第 ${v.stop} 站</span>
        <span class="stop-name">${esc(v.name)}</span>
        <span class="stop-place">${esc(v.county)} ${esc(v.township)}</span></div>
      <div class="stop-papers">${rows}</div></li>`;
  }).join("");
  const mine = recused.length ? `，您评 ${state.villages.length} 站` : "";
  return `<h2 class="view-title">今日拉练路线（共 ${stops.length} 站${mine}）</h2>
    <ol class="route">${cards}</ol>`;
}

function tabs(ctx, v, paper) {
  return `<nav class="tabs" aria-label="考卷">${PAPERS.map((p) => `
    <a class="tab${p === paper ? " active" : ""}" href="#v/${esc(v.code)}/${p}"
       ${p === paper ? 'aria-current="page"' : ""}>${esc(ctx.paperName(p))}
       ${chip(ctx.status(v, p), ctx.key(v.code, p))}</a>`).join("")}</nav>`;
}

export function sheetView(ctx, v, paper) {
  const s = ctx.sheet(v, paper) || { items: {}, comment: "" };
  const ro = ctx.readOnly ? "disabled" : "";
  const items = ctx.items(v, paper).map((item) => {
    const val = s.items[item.code];
    return `<li class="item" data-item="${esc(item.code)}">
      <div class="item-text"><div class="item-name">${esc(item.name)}
        <span class="item-max">满分 ${fmt(item.max)} 分</span></div>
        ${item.guide ? `<div class="item-guide">${esc(item.guide)}</div>` : ""}</div>
      <div class="stepper">
        <button type="button" class="step minus" data-step="-0.5" ${ro} aria-label="减 0.5 分">−</button>
        <input class="score-input" inputmode="decimal" autocomplete="off" ${ro}
          aria-label="${esc(item.name)}得分（0～${fmt(item.max)}）" data-max="${item.max}"
          value="${val === null || val === undefined ? "" : fmt(val)}" placeholder="分数">
        <button type="button" class="step plus" data-step="0.5" ${ro} aria-label="加 0.5 分">＋</button>
      </div>
      <div class="item-error" role="alert" hidden></div></li>`;
  }).join("");
  return `<div class="sheet-head"><a class="back" href="#">‹ 返回路线</a>
      <h2 class="view-title">第 ${v.stop} 站 · ${esc(v.name)}</h2></div>
    ${tabs(ctx, v, paper)}
    ${ctx.readOnly ? `<p class="notice locked">本轮评分已锁定，分数只能查看，不能修改。</p>` : ""}
    ${v.sheets && v.sheets[paper] && v.sheets[paper].check ? `<p class="notice check" id="check-note">请核对：这张表的合计与本村的一般打分相差较大，请确认各项有没有录错。如无误，不必修改。</p>` : ""}
    <ol class="items">${items}</ol>
    <label class="comment"><span>评语（选填）</span>
      <textarea id="comment" rows="3" maxlength="2000" ${ro}
        placeholder="写下亮点、问题或建议">${esc(s.comment)}</textarea></label>
    <div class="sheet-foot">
      <div class="running-total" id="running-total">${totalText(ctx, v, paper)}</div>
      ${ctx.readOnly ? "" : `<a class="button primary" id="to-check" href="#v/${esc(v.code)}/${paper}/check">核对并提交</a>`}
    </div>`;
}

export function totalText(ctx, v, paper) {
  const t = ctx.total(v, paper);
  const n = ctx.items(v, paper).length;
  return `合计 <strong>${fmt(t.sum)}</strong> / ${fmt(ctx.paperMax(v, paper))} 分
    <span class="filled">已打分 ${t.count}/${n} 项</span>`;
}

export function checkView(ctx, v, paper) {
  const s = ctx.sheet(v, paper) || { items: {}, comment: "" };
  const list = ctx.items(v, paper);
  const missing = list.filter((i) => s.items[i.code] === null || s.items[i.code] === undefined);
  const rows = list.map((i) => `<tr><th scope="row">${esc(i.name)}</th>
    <td class="num">${fmt(s.items[i.code])}</td><td class="num">${fmt(i.max)}</td></tr>`).join("");
  const t = ctx.total(v, paper);
  return `<div class="sheet-head"><a class="back" href="#v/${esc(v.code)}/${paper}">‹ 返回修改</a>
      <h2 class="view-title">核对：${esc(v.name)} · ${esc(ctx.paperName(paper))}</h2></div>
    <table class="check"><thead><tr><th>项目</th><th class="num">得分</th><th class="num">满分</th></tr></thead>
      <tbody>${rows}</tbody>
      <tfoot><tr><th scope="row">合计</th><td class="num" id="check-total">${fmt(t.sum)}</td>
        <td class="num">${fmt(ctx.paperMax(v, paper))}</td></tr></tfoot></table>
    <div class="check-comment"><span>评语</span><p>${s.comment ? esc(s.comment) : "（无）"}</p></div>
    ${missing.length ? `<p class="notice warn">还有 ${missing.length} 项未打分：${missing.map((i) => esc(i.name)).join("、")}</p>` : ""}
    <div class="sheet-foot">
      <a class="button" href="#v/${esc(v.code)}/${paper}">返回修改</a>
      <button type="button" class="button primary" id="submit" ${missing.length || ctx.readOnly ? "disabled" : ""}>确认提交</button>
    </div>`;
}

// After submitting: what happened to the sheet (kept in step with the server by the app), and
// where to go next — the other paper of this village, the next stop, or the route.
export function doneView(ctx, v, paper, inner = false) {
  const st = ctx.status(v, paper);
  const t = ctx.total(v, paper);
  const what = `${esc(v.name)} ${esc(ctx.paperName(paper))} ${fmt(t.sum)} 分`;
  let line;
  if (st.cls === "submitted") line = `已提交 ${what}`;
  else if (st.cls === "failed") line = `未被接收：${what}`;
  else line = `已保存 ${what}`;
  const block = `<section class="confirm ${esc(st.cls)}" id="confirm" data-confirm-for="${esc(v.code)}:${paper}" role="status">
      <p class="confirm-line" id="confirm-line">${line}</p>
      ${st.cls === "submitted" ? "" : `<p class="confirm-state">${chip(st, ctx.key(v.code, paper))}</p>`}
    </section>`;
  if (inner) return block;
  const other = PAPERS.find((p) => p !== paper);
  // Nothing more to score once the round is locked: only the way back to the route.
  const otherDone = ctx.readOnly || ["submitted", "sending", "pending"].includes(ctx.status(v, other).cls);
  const next = ctx.readOnly ? null : ctx.nextStop(v);
  const links = [
    otherDone ? "" : `<a class="button primary" id="next-paper" href="#v/${esc(v.code)}/${other}">接着评本村${esc(ctx.paperName(other))}</a>`,
    next ? `<a class="button${otherDone ? " primary" : ""}" id="next-stop" href="#v/${esc(next.code)}/shared"><span>下一站：<span class="nowrap">第 ${next.stop} 站</span> ${esc(next.name)}</span></a>` : "",
    `<a class="button${ctx.readOnly ? " primary" : ""}" id="to-route" href="#">返回路线</a>`,
  ].join("");
  return `<div class="sheet-head"><a class="back" href="#">‹ 返回路线</a>
      <h2 class="view-title">第 ${v.stop} 站 · ${esc(v.name)}</h2></div>
    ${block}
    <nav class="next-steps" aria-label="接下来">${links}</nav>`;
}
