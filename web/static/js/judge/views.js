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

export function routeView(ctx) {
  const { state } = ctx;
  if (!state.villages.length) return `<p class="empty">本轮没有需要您评分的村。</p>`;
  const cards = state.villages.map((v) => {
    const rows = PAPERS.map((p) => {
      const s = ctx.sheet(v, p);
      const total = ctx.total(v, p);
      return `<a class="paper-row" href="#v/${esc(v.code)}/${p}" data-paper="${p}">
        <span class="paper-name">${esc(ctx.paperName(p))}</span>
        <span class="paper-total">${s && total.count ? `${fmt(total.sum)} / ${fmt(ctx.paperMax(v, p))} 分` : ""}</span>
        ${chip(ctx.status(v, p), ctx.key(v.code, p))}</a>`;
    }).join("");
    return `<li class="stop" data-village="${esc(v.code)}">
      <div class="stop-head"><span class="stop-no">第 ${v.stop} 站</span>
        <span class="stop-name">${esc(v.name)}</span>
        <span class="stop-place">${esc(v.county)} ${esc(v.township)}</span></div>
      <div class="stop-papers">${rows}</div></li>`;
  }).join("");
  return `<h2 class="view-title">今日拉练路线（共 ${state.villages.length} 站）</h2>
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
