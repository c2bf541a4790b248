/* 随机抽取 (organiser): commit to a draw, then draw it once with the room's public value.
 * The form checks as you type and lists every problem beside its field; the server's answer
 * (422 with `problems`) is shown the same way. */
(function () {
  "use strict";

  var page = document.getElementById("draws");
  var round = page.dataset.round;
  var form = document.getElementById("commit-form");
  var list = document.getElementById("draw-list");
  var HEADERS = { "Content-Type": "application/json", "X-Arena-Request": "1", Accept: "application/json" };
  var commitKey = newKey();
  var touched = {};

  function newKey() {
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function input_(name) {
    return form.elements.namedItem(name);
  }

  function kind() {
    return form.querySelector('input[name="kind"]:checked').value;
  }

  function lines() {
    return input_("items").value.split("\n").map(function (x) { return x.trim(); }).filter(Boolean);
  }

  function layout() {
    var k = kind();
    document.getElementById("items-field").hidden = k !== "items";
    form.querySelector('[data-field="k"]').hidden = k === "order";
    form.querySelector('[data-field="stratify"]').hidden = k !== "villages";
  }

  // Every problem of the form, by field (the server checks the same and more).
  function problems() {
    var out = {};
    var k = kind();
    if (input_("title").value.trim().length > 100) out.title = "标题不超过 100 个字符";
    var top = Number(page.dataset.villages);
    if (k === "villages" && input_("stratify").checked) top = Number(page.dataset.biggestStratum);
    if (k === "items") {
      var items = lines();
      top = items.length;
      var seen = {}, twice = [];
      items.forEach(function (x) { if (seen[x] && twice.indexOf(x) < 0) twice.push(x); seen[x] = true; });
      if (!items.length) out.items = "清单为空：每行一项";
      else if (twice.length) out.items = "清单中有重复项：" + twice.slice(0, 5).join("、");
      else if (items.some(function (x) { return x.length > 200; })) out.items = "每项不超过 200 个字符";
    }
    if (k !== "order") {
      var raw = input_("k").value.trim();
      var n = Number(raw);
      if (!/^\d+$/.test(raw) || n < 1 || n > Math.max(1, top)) {
        out.k = "抽取数量须为 1 到 " + Math.max(1, top) + " 的整数" +
          (k === "villages" && input_("stratify").checked ? "（每个乡镇）" : "");
      }
    }
    var secret = input_("secret").value;
    if (secret && (secret.length < 8 || secret.length > 200 || secret !== secret.trim())) {
      out.secret = "自备密钥须为 8–200 个字符，首尾不能有空格；留空由系统生成";
    }
    return out;
  }

  function showProblems(found, all) {
    form.querySelectorAll("[data-field]").forEach(function (field) {
      var name = field.dataset.field;
      var text = (all || touched[name]) ? (found[name] || "") : "";
      field.querySelector(".field-error").textContent = text;
      field.classList.toggle("invalid", !!text);
    });
  }

  form.addEventListener("input", function (e) {
    if (e.target.name) touched[e.target.name] = true;
    layout();
    showProblems(problems(), false);
  });
  form.addEventListener("change", function () { layout(); showProblems(problems(), false); });

  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var found = problems();
    showProblems(found, true);
    if (Object.keys(found).length) return;
    var k = kind();
    var body = { kind: k, idempotency_key: commitKey };
    if (input_("title").value.trim()) body.title = input_("title").value.trim();
    if (k !== "order") body.k = Number(input_("k").value.trim());
    if (k === "villages") body.stratify = input_("stratify").checked;
    if (k === "items") body.items = input_("items").value;
    if (input_("secret").value) body.secret = input_("secret").value;
    var button = document.getElementById("commit-submit");
    button.disabled = true;
    send("/api/v1/rounds/" + round + "/draws", body).then(function (answer) {
      button.disabled = false;
      if (!answer.ok) {
        var byField = {};
        var error = answer.body.error || {};
        (error.problems || [{ field: error.field, message: error.message }]).forEach(function (p) {
          byField[p.field] = p.message;
        });
        showProblems(byField, true);
        if (!error.field || !form.querySelector('[data-field="' + error.field + '"]')) {
          document.getElementById("commit-hint").textContent = error.message || "发布失败";
        }
        return;
      }
      commitKey = newKey();
      form.reset();
      touched = {};
      layout();
      showProblems({}, true);
      document.getElementById("secret-value").textContent = answer.body.secret;
      document.getElementById("secret-commitment").textContent = answer.body.draw.commitment;
      document.getElementById("secret-box").hidden = false;
      refresh();
    });
  });

  function send(url, body) {
    return fetch(url, { method: "POST", headers: HEADERS, credentials: "same-origin", body: JSON.stringify(body) })
      .then(function (r) { return r.json().then(function (b) { return { ok: r.ok, status: r.status, body: b }; }); })
      .catch(function () { return { ok: false, body: { error: { message: "网络中断，请重试" } } }; });
  }

  function drawItem(d) {
    var li = el("li", "draw" + (d.drawn ? " drawn" : ""));
    li.dataset.draw = d.id;
    var how = d.kind === "order" ? d.items.length + " 个村全部排序"
      : (d.stratify ? "按乡镇分层，每镇抽 " + d.k + " 个" : d.items.length + " 取 " + d.k);
    li.appendChild(el("h3", "", d.title + "（" + d.kind_name + "，" + how + "）"));
    var c = el("p", "commit");
    c.appendChild(document.createTextNode("承诺 sha256："));
    c.appendChild(el("span", "mono", d.commitment));
    c.appendChild(document.createTextNode("　" + d.committed_by + " 发布"));
    li.appendChild(c);
    if (d.drawn) {
      var inputs = el("p", "inputs");
      inputs.appendChild(document.createTextNode("现场公开值："));
      inputs.appendChild(el("b", "", d.public));
      inputs.appendChild(document.createTextNode("　密钥："));
      inputs.appendChild(el("span", "mono", d.secret));
      li.appendChild(inputs);
      var ol = el("ol", "result");
      d.result.forEach(function (r) {
        var item = el("li", "", r.name + (r.township ? "（" + r.township + "）" : ""));
        item.dataset.code = r.code;
        ol.appendChild(item);
      });
      li.appendChild(ol);
      return li;
    }
    var row = el("form", "draw-now");
    row.noValidate = true;
    var label = el("label", "field");
    label.dataset.field = "public";
    label.appendChild(el("span", "", "现场公开值（如骰子点数 3-6-1、钞票冠字号）"));
    var input = el("input");
    input.name = "public";
    input.maxLength = 100;
    input.autocomplete = "off";
    label.appendChild(input);
    var err = el("small", "field-error");
    err.setAttribute("role", "alert");
    label.appendChild(err);
    row.appendChild(label);
    var go = el("button", "button primary", "当众抽取");
    go.type = "submit";
    row.appendChild(go);
    var key = newKey();
    input.addEventListener("input", function () { err.textContent = ""; });
    row.addEventListener("submit", function (e) {
      e.preventDefault();
      var value = input.value.trim();
      if (!value) { err.textContent = "请填写会场当众给出的公开值"; return; }
      if (!window.confirm("以公开值「" + value + "」抽取？每份承诺只能抽取一次，结果不可更改。")) return;
      go.disabled = true;
      send("/api/v1/rounds/" + round + "/draws/" + d.id + "/draw", { public: value, idempotency_key: key })
        .then(function (answer) {
          go.disabled = false;
          if (!answer.ok) { err.textContent = (answer.body.error || {}).message || "抽取失败"; return; }
          refresh();
        });
    });
    li.appendChild(row);
    return li;
  }

  function refresh() {
    fetch("/api/v1/rounds/" + round + "/draws", { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        list.replaceChildren();
        if (!data.draws.length) list.appendChild(el("li", "muted", "还没有承诺。先在上方发布承诺。"));
        data.draws.forEach(function (d) { list.appendChild(drawItem(d)); });
        page.dataset.ready = "true";
      });
  }

  layout();
  refresh();
})();
