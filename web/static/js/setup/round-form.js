/* The round form: new, copy or edit a round. Builds the definition the API takes, asks the
   server to check it as you type (the same rules as POST /api/v1/rounds) and shows every
   problem beside its field and in a list at the top. Nothing is stored until 建立/保存. */
(function () {
  "use strict";

  var root = document.getElementById("round-form");
  if (!root) return;
  var state = JSON.parse(document.getElementById("form-state").textContent);
  var mode = state.mode;
  var d = state.definition;
  var roundId = state.round ? state.round.id : null;
  var scored = !!state.scored;
  var open = !state.round || state.round.status === "open";
  var scoredPairs = new Set(state.scored_pairs || []);
  // After scoring has started: what existed stays (codes, maxima, guides, order); names may change.
  var original = scored ? JSON.parse(JSON.stringify(d)) : null;
  var HEADERS = { "Content-Type": "application/json", "X-Arena-Request": "1", Accept: "application/json" };
  var form = document.getElementById("definition-form");

  d.papers = d.papers || {};
  ["shared", "demonstration", "satisfaction", "deductions"].forEach(function (k) { d.papers[k] = d.papers[k] || {}; });
  d.papers.shared.items = d.papers.shared.items || [];
  d.papers.deductions.items = d.papers.deductions.items || [];
  d.aggregation = d.aggregation || {};
  d.villages = d.villages || [];
  d.judges = d.judges || [];
  d.judges.forEach(function (j) { j.recuse = j.recuse || []; j.unit = j.unit || ""; });
  d.villages.forEach(function (v) { v.targets = v.targets || []; });
  d.tie_breaks = d.tie_breaks || ["shared", "satisfaction", "-deductions"];
  if (!d.papers.satisfaction.scale) d.papers.satisfaction.scale = { "满意": 1, "比较满意": 0.8, "基本满意": 0.6, "不满意": 0 };
  var scale = Object.keys(d.papers.satisfaction.scale).map(function (k) { return { label: k, value: d.papers.satisfaction.scale[k] }; });

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "class") node.className = attrs[k];
      else if (k === "disabled" || k === "checked") node[k] = !!attrs[k];
      else node.setAttribute(k, attrs[k]);
    });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  /* Numbers are sent as numbers when they look like one; anything else goes as typed and the
     server names the problem (必须是数字). */
  function num(text) {
    var t = String(text).trim();
    return /^-?\d+(\.\d+)?$/.test(t) ? Number(t) : t;
  }
  function shown(value) { return value === undefined || value === null ? "" : String(value); }

  function nextCode(prefix, list) {
    var used = new Set(list.map(function (x) { return x.code; }));
    for (var n = 1; ; n++) {
      var code = prefix + (n < 10 ? "0" + n : n);
      if (!used.has(code)) return code;
    }
  }

  function existed(kind, index) {
    if (!original) return false;
    if (kind === "village") return index < original.villages.length;
    if (kind === "judge") return index < original.judges.length;
    if (kind === "shared") return index < original.papers.shared.items.length;
    if (kind === "deduction") return index < original.papers.deductions.items.length;
    return false;
  }

  /* One input bound to obj[key]; `field` is the definition path the server's problems name. */
  function input(obj, key, field, opts) {
    opts = opts || {};
    var attrs = { "data-field": field, "aria-label": opts.label || "" };
    if (opts.numeric) attrs.inputmode = "decimal";
    if (opts.placeholder) attrs.placeholder = opts.placeholder;
    if (opts.locked) attrs.disabled = true;
    var node = el(opts.multiline ? "textarea" : "input", attrs);
    if (opts.multiline) node.rows = 1;
    node.value = shown(obj[key]);
    node.addEventListener("input", function () {
      var before = obj[key];
      obj[key] = opts.numeric ? num(node.value) : node.value;
      if (opts.onchange) opts.onchange(before, obj[key]);
      changed();
    });
    var cell = el("div");
    cell.appendChild(node);
    cell.appendChild(el("p", { "class": "field-error" }));
    return cell;
  }

  function tools(list, index, rerender, opts) {
    var box = el("td", { "class": "tools" });
    var fixed = opts && opts.fixed;
    var up = el("button", { type: "button", title: "上移", "aria-label": "上移", disabled: fixed || index === 0 || (opts && opts.fixedPrev) }, "↑");
    var down = el("button", { type: "button", title: "下移", "aria-label": "下移", disabled: fixed || index === list.length - 1 || (opts && opts.fixedNext) }, "↓");
    var remove = el("button", { type: "button", title: "删除", "aria-label": "删除", disabled: fixed }, "删除");
    up.addEventListener("click", function () { swap(list, index, index - 1); rerender(); changed(); });
    down.addEventListener("click", function () { swap(list, index, index + 1); rerender(); changed(); });
    remove.addEventListener("click", function () {
      var gone = list.splice(index, 1)[0];
      if (opts && opts.onremove) opts.onremove(gone);
      rerender(); changed();
    });
    if (!(opts && opts.noMove)) { box.appendChild(up); box.appendChild(down); }
    box.appendChild(remove);
    return box;
  }
  function swap(list, a, b) { var t = list[a]; list[a] = list[b]; list[b] = t; }

  function table(headers) {
    var t = el("table", { "class": "rows" });
    var tr = el("tr");
    headers.forEach(function (h) { tr.appendChild(el("th", { "class": h[1] || "" }, h[0])); });
    t.appendChild(el("thead")).appendChild(tr);
    return [t, t.appendChild(el("tbody"))];
  }
  function td(child, cls) { var c = el("td", cls ? { "class": cls } : {}); c.appendChild(child); return c; }
  function box(name) { return root.querySelector('[data-box="' + name + '"]'); }

  /* ---- villages ---- */
  function renderVillages() {
    var b = box("villages");
    b.textContent = "";
    if (!d.villages.length) { b.appendChild(el("p", { "class": "muted" }, "还没有村，请添加。")); }
    else {
      var t = table([["站", "n"], ["编码", "c-code"], ["村名"], ["乡镇"], ["县（市、区）"], [""]]);
      d.villages.forEach(function (v, i) {
        var old = existed("village", i);
        var tr = el("tr", { "data-village": i });
        tr.appendChild(el("td", { "class": "n" }, String(i + 1)));
        tr.appendChild(td(input(v, "code", "villages[" + i + "].code", { label: "第" + (i + 1) + "站 编码", locked: old,
          onchange: function (before, after) { d.judges.forEach(function (j) { j.recuse = j.recuse.map(function (c) { return c === before ? after : c; }); }); renderTargets(); renderRecuse(); } }), "c-code"));
        tr.appendChild(td(input(v, "name", "villages[" + i + "].name", { label: "第" + (i + 1) + "站 村名", placeholder: "村名", onchange: function () { renderTargetsTitles(); renderRecuseHeads(); } })));
        tr.appendChild(td(input(v, "township", "villages[" + i + "].township", { label: "第" + (i + 1) + "站 乡镇", placeholder: "乡镇" })));
        tr.appendChild(td(input(v, "county", "villages[" + i + "].county", { label: "第" + (i + 1) + "站 县（市、区）", placeholder: "县（市、区）" })));
        tr.appendChild(tools(d.villages, i, function () { renderVillages(); renderTargets(); renderRecuse(); },
          { fixed: !!original, onremove: function (gone) { d.judges.forEach(function (j) { j.recuse = j.recuse.filter(function (c) { return c !== gone.code; }); }); } }));
        t[1].appendChild(tr);
      });
      b.appendChild(t[0]);
    }
    root.querySelector('[data-add="village"]').disabled = !!original;
  }

  /* ---- judges ---- */
  function renderJudges() {
    var b = box("judges");
    b.textContent = "";
    if (!d.judges.length) { b.appendChild(el("p", { "class": "muted" }, "还没有评委，请添加。")); }
    else {
      var t = table([["", "n"], ["编码", "c-code"], ["姓名"], ["单位"], [""]]);
      d.judges.forEach(function (j, i) {
        var old = existed("judge", i);
        var tr = el("tr", { "data-judge": i });
        tr.appendChild(el("td", { "class": "n" }, String(i + 1)));
        tr.appendChild(td(input(j, "code", "judges[" + i + "].code", { label: "第" + (i + 1) + "位评委 编码", locked: old }), "c-code"));
        tr.appendChild(td(input(j, "name", "judges[" + i + "].name", { label: "第" + (i + 1) + "位评委 姓名", placeholder: "姓名", onchange: renderRecuseHeads })));
        tr.appendChild(td(input(j, "unit", "judges[" + i + "].unit", { label: "第" + (i + 1) + "位评委 单位", placeholder: "工作单位" })));
        tr.appendChild(tools(d.judges, i, function () { renderJudges(); renderRecuse(); }, { fixed: old, fixedNext: original && i + 1 < original.judges.length,
          fixedPrev: original && i - 1 < original.judges.length }));
        t[1].appendChild(tr);
      });
      b.appendChild(t[0]);
    }
    root.querySelector('[data-add="judge"]').disabled = !!original && !open;
  }

  /* ---- items (shared, deductions, each village's targets) ---- */
  function itemTable(list, path, kind, maxLabel, guideLabel, locked, rerender) {
    var t = table([["", "n"], ["编码", "c-code"], ["名称"], [maxLabel, "c-max"], [guideLabel], [""]]);
    list.forEach(function (item, i) {
      var here = path + "[" + i + "]";
      var tr = el("tr");
      tr.appendChild(el("td", { "class": "n" }, String(i + 1)));
      tr.appendChild(td(input(item, "code", here + ".code", { label: "第" + (i + 1) + "项 编码", locked: locked }), "c-code"));
      tr.appendChild(td(input(item, "name", here + ".name", { label: "第" + (i + 1) + "项 名称", placeholder: "名称" })));
      tr.appendChild(td(input(item, "max", here + ".max", { label: "第" + (i + 1) + "项 " + maxLabel, numeric: true, locked: locked, onchange: sums })));
      tr.appendChild(td(input(item, "guide", here + ".guide", { label: "第" + (i + 1) + "项 " + guideLabel, multiline: true, locked: locked })));
      tr.appendChild(tools(list, i, rerender, { fixed: locked }));
      t[1].appendChild(tr);
    });
    return t[0];
  }

  function renderShared() {
    var b = box("shared");
    b.textContent = "";
    b.appendChild(itemTable(d.papers.shared.items, "papers.shared.items", "shared", "满分", "评分要点", !!original, renderShared));
    root.querySelector('[data-add="shared"]').disabled = !!original;
    sums();
  }
  function renderDeductions() {
    var b = box("deductions");
    b.textContent = "";
    b.appendChild(itemTable(d.papers.deductions.items, "papers.deductions.items", "deduction", "最多扣", "说明", !!original, renderDeductions));
    root.querySelector('[data-add="deduction"]').disabled = !!original;
  }

  function renderTargets() {
    var b = box("targets");
    b.textContent = "";
    if (!d.villages.length) { b.appendChild(el("p", { "class": "muted" }, "先在「村庄路线」中添加村。")); return; }
    d.villages.forEach(function (v, i) {
      var part = el("div", { "class": "village-targets", "data-targets": i });
      part.appendChild(el("h4", { "data-title": i }, (i + 1) + ". " + (v.name || v.code || "（未命名）")));
      var locked = !!original && i < original.villages.length;
      var rerender = function () { renderTargets(); changed(); };
      part.appendChild(itemTable(v.targets, "villages[" + i + "].targets", "target", "满分", "评分要点", locked, renderTargets));
      part.appendChild(el("p", { "class": "sum", "data-sum": i }));
      part.appendChild(el("p", { "class": "field-error", "data-error": "villages[" + i + "].targets" }));
      var add = el("button", { type: "button", "class": "add", disabled: locked }, "＋ 添加示范目标");
      add.addEventListener("click", function () {
        v.targets.push({ code: nextCode("t", v.targets).replace(/^t0/, "t"), name: "", max: "" });
        rerender();
      });
      part.appendChild(add);
      b.appendChild(part);
    });
    sums();
  }
  function renderTargetsTitles() {
    d.villages.forEach(function (v, i) {
      var h = root.querySelector('[data-title="' + i + '"]');
      if (h) h.textContent = (i + 1) + ". " + (v.name || v.code || "（未命名）");
    });
  }

  function total(items) {
    return items.reduce(function (s, x) { return s + (typeof x.max === "number" ? Math.round(x.max * 100) : NaN); }, 0) / 100;
  }
  function sums() {
    var sharedMax = d.papers.shared.max;
    var s = document.getElementById("shared-sum");
    var t = total(d.papers.shared.items);
    s.textContent = isNaN(t) ? "" : "各项满分合计 " + t + " / " + shown(sharedMax);
    s.className = "sum" + (t === sharedMax ? "" : " off");
    d.villages.forEach(function (v, i) {
      var p = root.querySelector('[data-sum="' + i + '"]');
      if (!p) return;
      var x = total(v.targets);
      p.textContent = isNaN(x) ? "" : "合计 " + x + " / " + shown(d.papers.demonstration.max);
      p.className = "sum" + (x === d.papers.demonstration.max ? "" : " off");
    });
  }

  /* ---- satisfaction scale ---- */
  function renderScale() {
    var b = box("scale");
    b.textContent = "";
    var t = table([["答案"], ["分值", "c-max"], [""]]);
    scale.forEach(function (row, i) {
      var tr = el("tr");
      tr.appendChild(td(input(row, "label", "papers.satisfaction.scale", { label: "第" + (i + 1) + "个答案", locked: !!original })));
      tr.appendChild(td(input(row, "value", "papers.satisfaction.scale." + row.label, { label: "「" + row.label + "」的分值", numeric: true, locked: !!original }), "c-max"));
      tr.appendChild(tools(scale, i, renderScale, { fixed: !!original, noMove: true }));
      t[1].appendChild(tr);
    });
    b.appendChild(t[0]);
    root.querySelector('[data-add="scale"]').disabled = !!original;
  }

  /* ---- tie breaks ---- */
  var TIES = [["", "（不再比较）"], ["shared", "共性目标得分高者在前"], ["demonstration", "示范目标得分高者在前"],
    ["satisfaction", "满意度得分高者在前"], ["-deductions", "扣分少者在前"]];
  function renderTies() {
    var b = box("ties");
    b.textContent = "";
    for (var n = 0; n < 4; n++) {
      var cell = el("div");
      cell.appendChild(el("label", { "for": "f-tie-" + n }, "第 " + (n + 1) + " 项"));
      var sel = el("select", { id: "f-tie-" + n, "data-tie": n, disabled: !!original });
      TIES.forEach(function (o) { sel.appendChild(el("option", { value: o[0] }, o[1])); });
      sel.value = d.tie_breaks[n] || "";
      sel.addEventListener("change", function () {
        d.tie_breaks = Array.prototype.map.call(root.querySelectorAll("[data-tie]"), function (s) { return s.value; })
          .filter(function (v) { return v; });
        changed();
      });
      cell.appendChild(sel);
      b.appendChild(cell);
    }
  }

  /* ---- recusal grid ---- */
  function renderRecuse() {
    var b = box("recuse");
    b.textContent = "";
    if (!d.judges.length || !d.villages.length) { b.appendChild(el("p", { "class": "muted" }, "添加村和评委后在此勾选回避。")); return; }
    var t = el("table", { "class": "grid-recuse", id: "recuse-grid" });
    var head = el("tr");
    head.appendChild(el("th", {}, "评委 \\ 村"));
    d.villages.forEach(function (v, i) { head.appendChild(el("th", { "data-head": i }, v.name || v.code)); });
    t.appendChild(el("thead")).appendChild(head);
    var body = t.appendChild(el("tbody"));
    d.judges.forEach(function (j, ji) {
      var tr = el("tr");
      var th = el("th", { "data-field": "judges[" + ji + "].recuse", "data-row": ji }, j.name || j.code);
      tr.appendChild(th);
      d.villages.forEach(function (v) {
        var had = original && ji < original.judges.length && (original.judges[ji].recuse || []).indexOf(v.code) >= 0;
        var blocked = original && (had || !open || scoredPairs.has(j.code + "|" + v.code));
        var box = el("input", { type: "checkbox", "aria-label": (j.name || j.code) + " 回避 " + (v.name || v.code),
          checked: j.recuse.indexOf(v.code) >= 0, disabled: blocked, "data-judge": j.code, "data-village": v.code });
        box.addEventListener("change", function () {
          if (box.checked) { if (j.recuse.indexOf(v.code) < 0) j.recuse.push(v.code); }
          else j.recuse = j.recuse.filter(function (c) { return c !== v.code; });
          changed();
        });
        tr.appendChild(td(box));
      });
      body.appendChild(tr);
    });
    b.appendChild(t);
  }
  function renderRecuseHeads() {
    d.villages.forEach(function (v, i) { var h = root.querySelector('[data-head="' + i + '"]'); if (h) h.textContent = v.name || v.code; });
    d.judges.forEach(function (j, i) { var h = root.querySelector('[data-row="' + i + '"]'); if (h) h.textContent = j.name || j.code; });
  }

  /* ---- the static fields ---- */
  function bindStatic() {
    var list = document.getElementById("campaign-list");
    (state.campaigns || []).forEach(function (c) { list.appendChild(el("option", { value: c })); });
    var map = {
      campaign: [d, "campaign"], name: [d, "name"], date: [d, "date"],
      "papers.shared.max": [d.papers.shared, "max", true], "papers.demonstration.max": [d.papers.demonstration, "max", true],
      "papers.satisfaction.max": [d.papers.satisfaction, "max", true],
      "papers.satisfaction.min_responses": [d.papers.satisfaction, "min_responses", true],
      "papers.deductions.cap": [d.papers.deductions, "cap", true],
      "aggregation.method": [d.aggregation, "method"], "aggregation.trim": [d.aggregation, "trim", true],
      "aggregation.min_judges_for_trim": [d.aggregation, "min_judges_for_trim", true]
    };
    var renameOnly = { name: true };
    Object.keys(map).forEach(function (field) {
      var node = document.getElementById("definition-form").querySelector('[data-field="' + field + '"]');
      var target = map[field];
      node.value = shown(target[0][target[1]]);
      if (original && !renameOnly[field]) node.disabled = true;
      node.addEventListener(node.tagName === "SELECT" ? "change" : "input", function () {
        target[0][target[1]] = target[2] ? num(node.value) : node.value;
        if (field === "papers.shared.max" || field === "papers.demonstration.max") sums();
        changed();
      });
    });
  }

  /* ---- adding rows ---- */
  root.querySelectorAll("[data-add]").forEach(function (button) {
    button.addEventListener("click", function () {
      var kind = button.dataset.add;
      if (kind === "village") { d.villages.push({ code: nextCode("V", d.villages), name: "", township: "", county: "", targets: [] }); renderVillages(); renderTargets(); renderRecuse(); }
      if (kind === "judge") { d.judges.push({ code: nextCode("J", d.judges), name: "", unit: "", recuse: [] }); renderJudges(); renderRecuse(); }
      if (kind === "shared") { d.papers.shared.items.push({ code: nextCode("s", d.papers.shared.items), name: "", max: "" }); renderShared(); }
      if (kind === "deduction") { d.papers.deductions.items.push({ code: nextCode("d", d.papers.deductions.items), name: "", max: "" }); renderDeductions(); }
      if (kind === "scale") { scale.push({ label: "", value: "" }); renderScale(); }
      changed();
      var rows = button.parentNode.querySelectorAll("tbody tr");
      var last = rows[rows.length - 1];
      var first = last && last.querySelector("input:not([disabled]):not([data-field$='.code']), input:not([disabled])");
      if (first) first.focus();
    });
  });

  /* ---- the definition as sent ---- */
  function definition() {
    var out = JSON.parse(JSON.stringify(d));
    out.papers.satisfaction.scale = {};
    scale.forEach(function (row) { out.papers.satisfaction.scale[row.label] = row.value; });
    ["shared", "deductions"].forEach(function (k) { out.papers[k].items.forEach(clean); });
    out.villages.forEach(function (v) { v.targets.forEach(clean); });
    out.judges.forEach(function (j) { if (!j.unit) delete j.unit; });
    return out;
  }
  function clean(item) { if (!item.guide) delete item.guide; }

  /* ---- problems beside each field and in the list at the top ---- */
  var KEYS = { code: "编码", name: "名称", township: "乡镇", county: "县（市、区）", max: "满分", guide: "评分要点",
    unit: "单位", recuse: "回避", targets: "示范目标", method: "汇总方法", trim: "去掉个数",
    min_judges_for_trim: "去极值最少评委数", min_responses: "最少样本数", cap: "扣分上限", scale: "答案分值", items: "项目" };
  function label(field) {
    var m;
    if ((m = /^villages\[(\d+)\]\.targets\[(\d+)\]\.?(\w*)/.exec(field))) {
      var v = d.villages[+m[1]] || {};
      return "示范目标 · " + (v.name || "第" + (+m[1] + 1) + "站") + " 第 " + (+m[2] + 1) + " 项" + (m[3] ? "（" + (KEYS[m[3]] || m[3]) + "）" : "");
    }
    if ((m = /^villages\[(\d+)\]\.targets$/.exec(field))) return "示范目标 · " + ((d.villages[+m[1]] || {}).name || "第" + (+m[1] + 1) + "站");
    if ((m = /^villages\[(\d+)\]\.?(\w*)/.exec(field))) return "村庄路线第 " + (+m[1] + 1) + " 站" + (m[2] ? "（" + (m[2] === "name" ? "村名" : KEYS[m[2]] || m[2]) + "）" : "");
    if ((m = /^judges\[(\d+)\]\.?(\w*)/.exec(field))) {
      var j = d.judges[+m[1]] || {};
      return (m[2] === "recuse" ? "回避 · " + (j.name || "第" + (+m[1] + 1) + "位评委") : "评委第 " + (+m[1] + 1) + " 位" + (m[2] ? "（" + (m[2] === "name" ? "姓名" : KEYS[m[2]] || m[2]) + "）" : ""));
    }
    if ((m = /^papers\.(shared|deductions)\.items\[(\d+)\]\.?(\w*)/.exec(field)))
      return (m[1] === "shared" ? "共性目标" : "扣分项") + "第 " + (+m[2] + 1) + " 项" + (m[3] ? "（" + (KEYS[m[3]] || m[3]) + "）" : "");
    var names = { campaign: "所属行动", name: "评比名称", date: "日期", villages: "村庄路线", judges: "评委", tie_breaks: "同分比较顺序",
      "papers.shared.max": "共性目标满分", "papers.shared.items": "共性目标", "papers.demonstration.max": "示范目标满分",
      "papers.satisfaction.max": "满意度满分", "papers.satisfaction.min_responses": "满意度最少样本数",
      "papers.satisfaction.scale": "满意度答案分值", "papers.deductions.cap": "扣分上限", "papers.deductions.items": "扣分项",
      "aggregation.method": "汇总方法", "aggregation.trim": "去掉最高最低分个数", "aggregation.min_judges_for_trim": "去极值最少评委数", papers: "考卷" };
    if (names[field]) return names[field];
    if (field.indexOf("papers.satisfaction.scale.") === 0) return "满意度答案「" + field.slice(26) + "」的分值";
    return field;
  }

  function place(field) {
    var path = field;
    while (path) {
      var hit = form.querySelector('[data-field="' + cssEscape(path) + '"]');
      if (hit) return { input: hit, box: hit.tagName === "TH" ? null : hit.parentNode.querySelector(".field-error") };
      var err = form.querySelector('[data-error="' + cssEscape(path) + '"]');
      if (err) return { input: null, box: err };
      var cut = Math.max(path.lastIndexOf("."), path.lastIndexOf("["));
      path = cut > 0 ? path.slice(0, cut) : "";
    }
    return null;
  }
  function cssEscape(s) { return s.replace(/(["\\])/g, "\\$1"); }

  function showProblems(problems, changes) {
    form.querySelectorAll(".field-error").forEach(function (p) { p.textContent = ""; });
    form.querySelectorAll(".bad").forEach(function (n) { n.classList.remove("bad"); });
    var summary = document.getElementById("summary");
    summary.textContent = "";
    if (!problems.length) {
      if (changes && changes.length && mode === "edit") {
        summary.className = "summary-box ok";
        summary.appendChild(el("h2", {}, "没有发现问题。保存后将记入审计链的修改（" + changes.length + " 处）："));
        var ul = el("ul", { "class": "changes" });
        changes.forEach(function (c) { ul.appendChild(el("li", {}, c.what)); });
        summary.appendChild(ul);
        summary.hidden = false;
      } else summary.hidden = true;
      return;
    }
    summary.className = "summary-box";
    summary.appendChild(el("h2", {}, "发现 " + problems.length + " 处问题，改正后才能" + (mode === "edit" ? "保存" : "建立") + "："));
    var list = el("ul", { id: "problem-list" });
    problems.forEach(function (p) {
      var where = place(p.field);
      if (where && where.box) where.box.textContent = (where.box.textContent ? where.box.textContent + "；" : "") + p.message;
      if (where && where.input) where.input.classList.add("bad");
      var li = el("li");
      var a = el("a", { href: "#" }, label(p.field) + "：" + p.message);
      a.addEventListener("click", function (e) {
        e.preventDefault();
        if (where && where.input) { where.input.scrollIntoView({ block: "center" }); if (where.input.focus) where.input.focus(); }
        else if (where && where.box) where.box.scrollIntoView({ block: "center" });
      });
      li.appendChild(a);
      list.appendChild(li);
    });
    summary.appendChild(list);
    summary.hidden = false;
  }

  /* ---- checking as you type ---- */
  var timer = null, seq = 0;
  var line = document.getElementById("status-line");
  var dirty = false;
  window.addEventListener("beforeunload", function (event) {
    if (dirty) { event.preventDefault(); event.returnValue = ""; }  // unsaved: ask before leaving
  });
  function changed() {
    dirty = true;
    clearTimeout(timer);
    line.textContent = "正在检查……";
    timer = setTimeout(check, 350);
  }
  function check() {
    var mine = ++seq;
    var url = "/admin/rounds/check" + (mode === "edit" ? "?round=" + roundId : "");
    return fetch(url, { method: "POST", headers: HEADERS, credentials: "same-origin", body: JSON.stringify(definition()) })
      .then(function (r) { return r.json(); })
      .then(function (body) {
        if (mine !== seq) return;
        if (body.error) { line.textContent = body.error.message; return; }
        showProblems(body.problems, body.changes);
        line.textContent = body.ok ? (mode === "edit" && !body.changes.length ? "没有修改。" : "检查通过，可以" + (mode === "edit" ? "保存" : "建立") + "。")
          : "发现 " + body.problems.length + " 处问题。";
        root.dataset.checked = body.ok ? "ok" : "problems";
      })
      .catch(function () { if (mine === seq) line.textContent = "无法连接服务器，暂时不能检查。"; });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    clearTimeout(timer);
    seq++;
    var button = document.getElementById("submit");
    button.disabled = true;
    line.textContent = mode === "edit" ? "正在保存……" : "正在建立……";
    var url = mode === "edit" ? "/admin/rounds/" + roundId + "/edit" : "/api/v1/rounds";
    fetch(url, { method: "POST", headers: HEADERS, credentials: "same-origin", body: JSON.stringify(definition()) })
      .then(function (r) { return r.json().then(function (body) { return [r, body]; }); })
      .then(function (pair) {
        var r = pair[0], body = pair[1];
        if (r.ok) { dirty = false; location.href = "/admin/rounds/" + (body.id || roundId) + (mode === "edit" ? "?saved=1" : "?created=1"); return; }
        var err = body.error || {};
        showProblems(err.problems || [{ field: err.field || "", message: err.message || "操作失败" }]);
        line.textContent = err.message || "操作失败";
        button.disabled = false;
        document.getElementById("summary").scrollIntoView({ block: "start" });
      })
      .catch(function () { line.textContent = "无法连接服务器，未保存。"; button.disabled = false; });
  });

  /* ---- Excel upload ---- */
  var upload = document.getElementById("upload-form");
  if (upload) {
    upload.addEventListener("submit", function (event) {
      event.preventDefault();
      var file = document.getElementById("upload-file").files[0];
      var status = document.getElementById("upload-status");
      var list = document.getElementById("upload-problems");
      list.hidden = true;
      list.textContent = "";
      if (!file) { status.textContent = "请先选择填好的 Excel 文件。"; return; }
      var data = new FormData();
      data.append("file", file);
      status.textContent = "正在检查工作簿……";
      fetch("/admin/rounds/import", { method: "POST", body: data, credentials: "same-origin",
        headers: { "X-Arena-Request": "1", Accept: "application/json" } })
        .then(function (r) { return r.json().then(function (body) { return [r, body]; }); })
        .then(function (pair) {
          var r = pair[0], body = pair[1];
          if (r.ok) { dirty = false; status.textContent = "已建立，正在打开本轮首页……"; location.href = body.url + "?created=1"; return; }
          var err = body.error || {};
          status.textContent = err.message || "上传失败";
          (err.problems || []).forEach(function (p) { list.appendChild(el("li", {}, p.message)); });
          list.hidden = !(err.problems || []).length;
        })
        .catch(function () { status.textContent = "无法连接服务器，未上传。"; });
    });
  }

  /* ---- start ---- */
  if (original) {
    var note = document.getElementById("locked-note");
    note.textContent = "本轮已有评分：只能修改名称（村、评委、项目、本轮）和评委单位" +
      (open ? "，添加评委，以及为尚未评分的评委与村添加回避。" : "。本轮已锁定，不能再添加评委或回避。") +
      "编码、分值、评分要点和计分规则不能再改，以免改变已有结果。每处修改都记入审计链。";
    note.hidden = false;
  }
  bindStatic();
  renderVillages();
  renderJudges();
  renderShared();
  renderTargets();
  renderDeductions();
  renderScale();
  if (window.ArenaSurveyFields) window.ArenaSurveyFields.bind(d, changed, !!original);  // 手机测评
  renderTies();
  renderRecuse();
  if (mode !== "new" || d.villages.length) check();
  else line.textContent = "填写后会自动检查。";
})();
