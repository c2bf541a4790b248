// 锁定与发布前检查：列出缺什么、哪里存疑；锁定、发布前逐项点名，要明确勾选“仍要锁定/发布”。
import { el, fail, flash, getJSON, post, roundId, setStatus } from "./common.js";

const state = { data: null, action: null };
const VERB = { lock: "锁定", publish: "发布" };
const LINKS = {
  sheets_missing: ["sheets", "去评分表更正（代录）"],
  sheets_voided: ["sheets", "去评分表更正"],
  satisfaction_missing: ["satisfaction", "去录入满意度"],
  satisfaction_insufficient: ["satisfaction", "去查看满意度"],
  provisional: ["progress", "去看评分进度"],
};

function render(data) {
  const summary = document.getElementById("ck-summary");
  summary.className = `panel ${data.ok ? "all-ok" : "has-problems"}`;
  summary.replaceChildren(data.ok
    ? el("p", { class: "big ok", text: "全部检查通过：评分表已交齐，各村满意度已录入，没有暂定名次。" })
    : el("p", { class: "big warn", text: `发现 ${data.problems.length} 类问题，共 ${data.count} 处：${data.problems.map((p) => p.summary).join("；")}。` }));
  const box = document.getElementById("ck-problems");
  box.replaceChildren(...data.problems.map((p) => {
    const [page, label] = LINKS[p.code];
    const list = el("ul", { class: "ck-list" }, ...p.items.slice(0, 200).map((i) => el("li", { text: i.text })));
    if (p.items.length > 200) list.append(el("li", { class: "muted", text: `……等共 ${p.items.length} 处` }));
    return el("section", { class: "panel ck-group", "data-check": p.code },
      el("h2", {}, el("span", { text: p.title }), el("span", { class: "count", text: ` ${p.count}` }),
        el("a", { class: "go", href: `/admin/rounds/${roundId}/${page}`, text: label })), list);
  }));
  const status = data.round.status;
  document.getElementById("ck-lock").disabled = status !== "open";
  document.getElementById("ck-publish").disabled = status !== "locked";
}

function ask(action) {
  const data = state.data;
  state.action = action;
  const panel = document.getElementById("ck-confirm");
  const verb = VERB[action];
  document.getElementById("ck-confirm-title").textContent = data.ok
    ? `确认${verb}本轮？`
    : `还有以下问题未处理，确认仍要${verb}？`;
  const list = document.getElementById("ck-confirm-list");
  list.replaceChildren(...(data.ok ? [el("li", { text: "检查全部通过。" })] : data.problems.map((p) => el("li", {},
    el("b", { text: p.summary }), el("span", { text: `：${p.items.slice(0, 5).map((i) => i.text).join("；")}${p.items.length > 5 ? "……" : ""}` })))));
  list.append(el("li", { class: "muted", text: action === "publish" ? "发布后成绩定稿，不能再修改。" : "锁定后评委不能再交表或改分；需要时可解除锁定。" }));
  const anyway = document.getElementById("ck-anyway");
  anyway.checked = false;
  document.getElementById("ck-anyway-label").hidden = data.ok;
  document.getElementById("ck-anyway-text").textContent = `我已核对上述问题，仍要${verb}`;
  const go = document.getElementById("ck-go");
  go.textContent = data.ok ? `确认${verb}` : `仍要${verb}`;
  go.disabled = !data.ok;
  panel.hidden = false;
  panel.scrollIntoView({ block: "nearest" });
}

document.getElementById("ck-anyway").addEventListener("change", (event) => {
  document.getElementById("ck-go").disabled = !event.target.checked;
});
document.getElementById("ck-cancel").addEventListener("click", () => { document.getElementById("ck-confirm").hidden = true; });
for (const id of ["ck-lock", "ck-publish"]) {
  document.getElementById(id).addEventListener("click", async (event) => {
    const action = event.currentTarget.dataset.action;
    await load(); // name the problems as they are now, not as they were when the page opened
    ask(action);
  });
}

document.getElementById("ck-go").addEventListener("click", async (event) => {
  const button = event.currentTarget;
  const action = state.action;
  button.disabled = true;
  try {
    await post(`/api/v1/rounds/${roundId}/${action}`, { confirm: true });
    document.getElementById("ck-confirm").hidden = true;
    flash(`本轮已${VERB[action]}。`);
    await load();
  } catch (err) {
    fail(err.message);
    button.disabled = false;
  }
});

async function load() {
  const data = await getJSON(`/api/v1/rounds/${roundId}/checks`);
  state.data = data;
  setStatus(data.round);
  render(data);
  fail("");
}

load().catch((err) => fail(err.message));
