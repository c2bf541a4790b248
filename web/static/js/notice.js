// The results notice page: checks the heading form as the organiser types, saves it, prints.
const form = document.getElementById("notice-form");
const status = document.getElementById("notice-status");
const FIELDS = ["organ", "number", "addressees", "signed_on"];
const LABELS = { organ: "发文机关", number: "发文字号", addressees: "主送机关", signed_on: "成文日期" };
const LIMITS = { organ: 60, number: 40, addressees: 300 };

function validDate(text) {
  const m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(text);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const day = new Date(Date.UTC(y, mo - 1, d));
  return day.getUTCFullYear() === y && day.getUTCMonth() === mo - 1 && day.getUTCDate() === d;
}

function problems(values) {
  const out = {};
  for (const key of FIELDS) {
    const v = values[key].trim();
    if (!v) out[key] = `请填写${LABELS[key]}`;
    else if (LIMITS[key] && v.length > LIMITS[key]) out[key] = `${LABELS[key]}不能超过 ${LIMITS[key]} 个字`;
  }
  const n = values.number.trim();
  if (n && !out.number && !n.endsWith("号")) out.number = "发文字号以“号”结尾，如：滨组通〔2025〕12号";
  else if (n && !out.number && /[[(（]/.test(n)) out.number = "年份用六角括号〔〕括入，如：滨组通〔2025〕12号";
  const d = values.signed_on.trim();
  if (d && !validDate(d)) out.signed_on = "成文日期格式为 年-月-日，如 2025-09-20";
  return out;
}

function values() {
  const v = {};
  for (const key of FIELDS) v[key] = form.elements[key].value;
  return v;
}

function show(found, touched) {
  for (const key of FIELDS) {
    const message = touched === null || touched.has(key) ? found[key] || "" : "";
    form.querySelector(`.problem[data-for="${key}"]`).textContent = message;
    form.elements[key].setAttribute("aria-invalid", message ? "true" : "false");
  }
}

if (form) {
  const touched = new Set();
  for (const key of FIELDS) {
    form.elements[key].addEventListener("input", () => {
      touched.add(key);
      show(problems(values()), touched);
    });
  }
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const found = problems(values());
    show(found, null);
    if (Object.keys(found).length) {
      status.textContent = `有 ${Object.keys(found).length} 处需要修改`;
      status.className = "status";
      return;
    }
    status.textContent = "正在保存…";
    const body = {};
    for (const key of FIELDS) body[key] = values()[key].trim();
    try {
      const r = await fetch(`/api/v1/rounds/${form.dataset.round}/notice`, {
        method: "PUT",
        headers: { "Content-Type": "application/json", "X-Arena-Request": "1", Accept: "application/json" },
        body: JSON.stringify(body),
      });
      const answer = await r.json();
      if (!r.ok) {
        const server = {};
        for (const p of answer.error.problems || [{ field: answer.error.field, message: answer.error.message }]) {
          if (p.field) server[p.field] = p.message;
        }
        show(server, null);
        status.textContent = `未保存：${answer.error.message}`;
        status.className = "status";
        return;
      }
      status.textContent = "已保存";
      status.className = "status ok";
      window.location.reload();
    } catch {
      status.textContent = "未保存：连不上服务器，请稍后再试";
      status.className = "status";
    }
  });
}

const print = document.getElementById("notice-print");
if (print) print.addEventListener("click", () => window.print());
