// 定义表单（指数榜、擂台赛）：边填边检查，每处问题写在对应格子旁边，并在底部列出全部问题；
// 也负责“用 Excel 模板创建”的上传。字段名就是定义中的路径，如 indicators[2].weight。
(function () {
  "use strict";
  const form = document.getElementById("definition-form");
  if (!form) return;
  const JSON_HEADERS = { "X-Arena-Request": "1", Accept: "application/json" };
  const problemsBox = document.getElementById("problems");
  const submitNote = document.getElementById("submit-note");
  const submitButton = form.querySelector("button[type=submit]");
  const touched = new WeakSet();
  let anyTouched = false;
  let showAll = false;
  let seq = 0;
  let timer = null;
  let latest = [];

  const INDEX = /\[(\d+|__i__)\]/;

  function offline(err) {
    return err && err.message === "Failed to fetch" ? "网络不通，请稍后再试" : (err && err.message) || "未知错误";
  }

  // ---------------------------------------------------------------- rows of a list

  function renumber(list) {
    const rows = list.querySelectorAll("tbody tr[data-row]");
    rows.forEach((tr, i) => {
      tr.querySelector(".rownum").textContent = String(i + 1);
      tr.querySelectorAll("[name]").forEach((el) => { el.name = el.name.replace(INDEX, `[${i}]`); });
      tr.querySelectorAll("[data-error-for]").forEach((el) => {
        el.dataset.errorFor = el.dataset.errorFor.replace(INDEX, `[${i}]`);
      });
    });
    const count = list.querySelector("[data-count-for]");
    if (count) count.textContent = rows.length ? `共 ${rows.length} 行` : "";
    updateDerived();
  }

  function setValue(el, text) {
    const value = (text || "").trim();
    if (el.type === "checkbox") {
      el.checked = ["是", "true", "TRUE", "1", "√", "Y", "y"].includes(value);
    } else if (el.tagName === "SELECT") {
      const option = [...el.options].find((o) => o.value === value || o.textContent.trim() === value);
      el.value = option ? option.value : "";
    } else {
      el.value = value;
    }
  }

  function addRow(list, cells) {
    const template = list.querySelector("template");
    const tr = template.content.firstElementChild.cloneNode(true);
    list.querySelector("tbody").appendChild(tr);
    const prefix = list.dataset.autocode;
    if (prefix && !cells) {
      const n = list.querySelectorAll("tbody tr[data-row]").length;
      const code = tr.querySelector("[data-col=code] [name]");
      if (code) code.value = prefix + String(n).padStart(Number(list.dataset.autocodeWidth || 1), "0");
    }
    if (cells) {
      const controls = [...tr.querySelectorAll("td[data-col] [name]")];
      cells.forEach((text, k) => { if (controls[k]) setValue(controls[k], text); });
    }
    renumber(list);
    return tr;
  }

  form.addEventListener("click", (event) => {
    const list = event.target.closest("[data-list]");
    if (!list) return;
    if (event.target.closest(".add-row")) {
      const tr = addRow(list, null);
      const first = [...tr.querySelectorAll("[name]")].find((el) => !el.value);
      (first || tr.querySelector("[name]")).focus();
      changed();
    } else if (event.target.closest(".remove-row")) {
      event.target.closest("tr").remove();
      renumber(list);
      changed();
    } else if (event.target.closest(".paste-open")) {
      list.querySelector(".paste").hidden = false;
      list.querySelector(".paste-text").focus();
    } else if (event.target.closest(".paste-cancel")) {
      list.querySelector(".paste").hidden = true;
    } else if (event.target.closest(".paste-apply")) {
      pasteRows(list);
    }
  });

  function pasteRows(list) {
    const area = list.querySelector(".paste-text");
    const lines = area.value.split(/\r?\n/).filter((line) => line.trim());
    // rows left empty (the blank first row of a new form) make way for the pasted ones
    list.querySelectorAll("tbody tr[data-row]").forEach((tr) => {
      const blank = [...tr.querySelectorAll("[name]")].every((el) => (el.type === "checkbox" ? !el.checked : !el.value));
      if (blank) tr.remove();
    });
    lines.forEach((line) => addRow(list, line.split("\t")));
    list.querySelector(".paste-note").textContent = `已添加 ${lines.length} 行`;
    area.value = "";
    list.querySelector(".paste").hidden = true;
    anyTouched = true;
    list.querySelectorAll("[name]").forEach((el) => touched.add(el));
    changed();
  }

  // ---------------------------------------------------------------- derived hints

  function updateDerived() {
    document.querySelectorAll("datalist[data-from]").forEach((dl) => {
      const [list, key] = dl.dataset.from.split(".");
      const codes = [...form.querySelectorAll(`[name^="${list}["][name$="].${key}"]`)]
        .map((el) => el.value.trim()).filter(Boolean);
      dl.replaceChildren(...codes.map((code) => Object.assign(document.createElement("option"), { value: code })));
    });
    document.querySelectorAll("[data-sum-of]").forEach((out) => {
      const [list, key] = out.dataset.sumOf.split(".");
      let sum = 0;
      let bad = false;
      form.querySelectorAll(`[name^="${list}["][name$="].${key}"]`).forEach((el) => {
        if (!el.value.trim()) return;
        const n = Number(el.value);
        if (Number.isFinite(n)) sum += n; else bad = true;
      });
      const target = Number(out.dataset.target);
      const shown = Math.round(sum * 100) / 100;
      out.textContent = `合计 ${shown} 分${bad ? "（有格子不是数字）" : ""}，应为 ${target} 分`;
      out.classList.toggle("ok-message", !bad && shown === target);
      out.classList.toggle("error-message", bad || shown !== target);
    });
  }

  // ---------------------------------------------------------------- checking

  function changed() {
    clearTimeout(timer);
    timer = setTimeout(check, 300);
  }

  form.addEventListener("input", (event) => {
    if (event.target.closest(".paste")) return;
    if (event.target.name) { touched.add(event.target); anyTouched = true; }
    updateDerived();
    changed();
  });
  form.addEventListener("change", (event) => {
    if (event.target.name) { touched.add(event.target); anyTouched = true; changed(); }
  });

  async function check() {
    const mine = ++seq;
    try {
      const r = await fetch(form.dataset.check, {
        method: "POST",
        credentials: "same-origin",
        headers: { ...JSON_HEADERS, "Content-Type": "application/x-www-form-urlencoded;charset=UTF-8" },
        body: new URLSearchParams(new FormData(form)),
      });
      const answer = await r.json();
      if (mine !== seq) return null;
      if (!r.ok) throw new Error(answer.error ? answer.error.message : `服务器拒绝（${r.status}）`);
      latest = answer.problems;
      show(latest);
      return latest;
    } catch (err) {
      if (mine === seq) submitNote.textContent = `暂时无法检查：${offline(err)}`;
      return null;
    }
  }

  function target(field) {
    let path = field;
    while (path) {
      const el = form.querySelector(`[data-error-for="${CSS.escape(path)}"]`);
      if (el) return el;
      path = path.endsWith("]") ? path.slice(0, path.lastIndexOf("[")) : path.includes(".") ? path.slice(0, path.lastIndexOf(".")) : "";
    }
    return null;
  }

  function visible(slot, field) {
    if (showAll) return true;
    const control = form.querySelector(`[name="${CSS.escape(field)}"]`);
    if (control) return touched.has(control);
    const region = slot.closest("tr") || slot.closest("[data-list]") || slot.closest(".field");
    return !!region && [...region.querySelectorAll("[name]")].some((el) => touched.has(el));
  }

  function show(problems) {
    form.querySelectorAll(".field-error").forEach((el) => { el.textContent = ""; el.hidden = true; });
    form.querySelectorAll("[aria-invalid]").forEach((el) => el.removeAttribute("aria-invalid"));
    let inline = 0;
    problems.forEach((p) => {
      const slot = target(p.field);
      if (!slot || !visible(slot, p.field)) return;
      slot.textContent = slot.textContent ? `${slot.textContent}；${p.message}` : p.message;
      slot.hidden = false;
      inline += 1;
      const control = form.querySelector(`[name="${CSS.escape(p.field)}"]`);
      if (control) control.setAttribute("aria-invalid", "true");
    });
    const list = problemsBox.querySelector("ul");
    const title = problemsBox.querySelector(".problems-title");
    list.replaceChildren();
    if (!anyTouched && !showAll) { problemsBox.hidden = true; return; }
    problemsBox.hidden = false;
    problemsBox.classList.toggle("clean", problems.length === 0);
    if (!problems.length) {
      title.textContent = "检查通过，可以创建。";
      submitNote.textContent = "";
      return;
    }
    title.textContent = `还有 ${problems.length} 处需要填写或修改（全部改好才会创建）：`;
    if (showAll && submitButton.disabled === false) submitNote.textContent = `还有 ${problems.length} 处问题，请先修改。`;
    problems.forEach((p) => {
      const li = document.createElement("li");
      const go = Object.assign(document.createElement("button"), { type: "button", className: "goto", textContent: p.label });
      go.dataset.field = p.field;
      li.append(go, `：${p.message}`);
      list.append(li);
    });
  }

  problemsBox.addEventListener("click", (event) => {
    const go = event.target.closest(".goto");
    if (!go) return;
    focusField(go.dataset.field);
  });

  function focusField(field) {
    const control = form.querySelector(`[name="${CSS.escape(field)}"]`);
    const slot = target(field);
    const el = control || (slot && (slot.closest("tr, [data-list], .field") || slot).querySelector("[name], button"));
    if (el) { el.scrollIntoView({ block: "center" }); el.focus(); }
  }

  // ---------------------------------------------------------------- creating

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    showAll = true;
    clearTimeout(timer);
    submitButton.disabled = true;
    submitNote.textContent = "正在检查…";
    try {
      const problems = await check();
      if (problems === null) return;
      if (problems.length) {
        submitNote.textContent = `还有 ${problems.length} 处问题，请先修改。`;
        focusField(problems[0].field);
        return;
      }
      submitNote.textContent = "正在创建…";
      const r = await fetch(form.dataset.submit, {
        method: "POST",
        credentials: "same-origin",
        headers: { ...JSON_HEADERS, "Content-Type": "application/x-www-form-urlencoded;charset=UTF-8" },
        body: new URLSearchParams(new FormData(form)),
      });
      const answer = await r.json();
      if (r.status === 201) {
        submitNote.textContent = "已创建，正在打开…";
        window.location.assign(answer.url);
        return;
      }
      const error = answer.error || {};
      if (error.problems) show(error.problems);
      submitNote.textContent = `未创建：${error.message || `服务器拒绝（${r.status}）`}`;
    } catch (err) {
      submitNote.textContent = `未创建：${offline(err)}`;
    } finally {
      submitButton.disabled = false;
    }
  });

  // ---------------------------------------------------------------- the template workbook

  const workbook = document.getElementById("workbook-form");
  if (workbook) {
    const result = document.getElementById("workbook-result");
    workbook.addEventListener("submit", async (event) => {
      event.preventDefault();
      const button = workbook.querySelector("button[type=submit]");
      button.disabled = true;
      result.replaceChildren(Object.assign(document.createElement("p"), { className: "hint", textContent: "正在检查工作簿…" }));
      try {
        const r = await fetch(workbook.dataset.action, {
          method: "POST", credentials: "same-origin", headers: JSON_HEADERS, body: new FormData(workbook),
        });
        const answer = await r.json();
        if (r.status === 201) {
          result.replaceChildren(Object.assign(document.createElement("p"), { className: "ok-message", textContent: "已创建，正在打开…" }));
          window.location.assign(answer.url);
          return;
        }
        const error = answer.error || {};
        const head = Object.assign(document.createElement("p"), { className: "error-message" });
        const problems = error.problems || [];
        head.textContent = problems.length
          ? `工作簿有 ${problems.length} 处问题，未创建任何内容。请在 Excel 中改好后重新上传：`
          : `未创建：${error.message || `服务器拒绝（${r.status}）`}`;
        result.replaceChildren(head);
        if (problems.length) result.append(problemTable(problems));
      } catch (err) {
        result.replaceChildren(Object.assign(document.createElement("p"), { className: "error-message", textContent: `上传失败：${offline(err)}` }));
      } finally {
        button.disabled = false;
      }
    });
  }

  function problemTable(problems) {
    const wrap = Object.assign(document.createElement("div"), { className: "scroll" });
    const table = Object.assign(document.createElement("table"), { className: "data errors", id: "workbook-problems" });
    const head = table.createTHead().insertRow();
    ["工作表", "行", "列", "问题"].forEach((text) => head.append(Object.assign(document.createElement("th"), { textContent: text })));
    const body = table.createTBody();
    problems.forEach((p) => {
      const row = body.insertRow();
      [p.sheet || "（整个工作簿）", p.row == null ? "—" : `第 ${p.row} 行`, p.column || "—", p.message]
        .forEach((text) => { row.insertCell().textContent = text; });
    });
    wrap.append(table);
    return wrap;
  }

  form.querySelectorAll("[data-list]").forEach(renumber);
})();
