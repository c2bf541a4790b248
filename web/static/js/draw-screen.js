/* 随机抽取 on the hall screen: the newest draw (or ?draw=ID), read again every 2 s. */
(function () {
  "use strict";

  var root = document.getElementById("draw-screen");
  var wanted = new URLSearchParams(location.search).get("draw");
  var shown = "";

  function put(id, text) { document.getElementById(id).textContent = text; }

  // Long hex read aloud and compared by eye: groups of eight.
  function grouped(hex) { return hex.replace(/(.{8})(?=.)/g, "$1 "); }

  function show(d) {
    var key = d ? d.id + ":" + d.drawn : "none";
    if (key === shown) return;
    shown = key;
    var result = document.getElementById("result");
    result.replaceChildren();
    if (!d) {
      put("state", "尚无抽取");
      put("waiting", "组织者尚未发布抽取承诺。");
      root.dataset.state = "none";
      return;
    }
    var how = d.kind === "order" ? d.items.length + " 个村全部随机排序"
      : (d.stratify ? "按乡镇分层，每镇抽 " + d.k + " 个" : "从 " + d.items.length + " 项中抽 " + d.k + " 项");
    put("title", d.title);
    put("how", d.kind_name + "：" + how);
    put("commitment", grouped(d.commitment));
    put("state", d.drawn ? "已抽取" : "已承诺");
    put("public", d.drawn ? d.public : "等待公开值…");
    put("secret", d.drawn ? grouped(d.secret) : "抽取后公开");
    document.getElementById("waiting").hidden = d.drawn;
    put("waiting", "承诺已发布，等待会场给出公开值后当众抽取。");
    d.result.forEach(function (r, i) {
      var li = document.createElement("li");
      li.dataset.code = r.code;
      li.style.animationDelay = (i * 350) + "ms";
      var n = document.createElement("span");
      n.className = "n";
      n.textContent = String(r.position);
      var name = document.createElement("span");
      name.textContent = r.name;
      if (r.township) {
        var small = document.createElement("small");
        small.textContent = r.township;
        name.appendChild(small);
      }
      li.appendChild(n);
      li.appendChild(name);
      result.appendChild(li);
    });
    root.dataset.state = d.drawn ? "drawn" : "committed";
    root.dataset.draw = String(d.id);
  }

  function poll() {
    fetch(root.dataset.src, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (data) {
          var d = wanted ? data.draws.filter(function (x) { return String(x.id) === wanted; })[0] : data.draws[0];
          show(d || null);
        }
      })
      .catch(function () {})
      .then(function () { setTimeout(poll, 2000); });
  }

  poll();
})();
