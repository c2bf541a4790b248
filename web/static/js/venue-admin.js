/* The organiser's venue page: create the venue's certificates from the form (POST /admin/venue/tls).
   Every problem is listed beside its field as the organiser types and again from the server. */
(function () {
  "use strict";

  var form = document.getElementById("tls-form");
  if (!form) return;
  var nameInput = document.getElementById("tls-name");
  var hostsInput = document.getElementById("tls-hosts");

  function hostList() {
    return hostsInput.value.split(/[\s,，、;；]+/).filter(function (h) { return h; });
  }

  // The same rules as arena/venue/addresses.py parse_host (the server checks again).
  function hostProblem(host) {
    if (host.indexOf("://") >= 0 || host.indexOf("/") >= 0) {
      return host + "：只写地址本身，不要写 https:// 或路径，例如 192.168.1.10";
    }
    if (/^[0-9.]+:\d+$/.test(host) || /^[^:\[\]]+:\d+$/.test(host)) {
      return host + "：不要带端口号，端口在 config.toml 的 port 中设置";
    }
    if (host.charAt(0) === "*") return host + "：场地证书不签发通配符地址，请逐个列出";
    if (/^[0-9.]+$/.test(host) && !/^(\d{1,3}\.){3}\d{1,3}$/.test(host)) {
      return host + "：不是有效的 IP 地址";
    }
    if (/[_\s!@#$%^&()=+{}'"<>?]/.test(host)) return host + "：不是有效的域名或 IP 地址";
    return "";
  }

  function check() {
    var problems = { name: [], hosts: [] };
    var name = nameInput.value.trim();
    if (!name || name.length > 40) {
      problems.name.push("请写场地或活动名称（1～40 个字），例如 县委组织部拉练");
    }
    var hosts = hostList();
    if (!hosts.length) {
      problems.hosts.push("请至少给出一个场地地址（这台电脑在场地网络中的地址，如 192.168.1.10）");
    }
    hosts.forEach(function (h) {
      var p = hostProblem(h);
      if (p) problems.hosts.push(p);
    });
    return problems;
  }

  function show(problems) {
    ["name", "hosts"].forEach(function (field) {
      var box = form.querySelector('[data-error-for="' + field + '"]');
      var list = problems[field] || [];
      box.textContent = "";
      list.forEach(function (message) {
        var line = document.createElement("span");
        line.textContent = message;
        box.appendChild(line);
      });
      box.hidden = list.length === 0;
      var input = field === "name" ? nameInput : hostsInput;
      input.setAttribute("aria-invalid", list.length ? "true" : "false");
    });
  }

  function fromServer(error) {
    var problems = { name: [], hosts: [] };
    var list = error.problems || [{ field: error.field, message: error.message }];
    list.forEach(function (p) {
      var field = String(p.field || "hosts").replace(/\[\d+\]$/, "");
      (problems[field] || problems.hosts).push(p.message);
    });
    return problems;
  }

  function count(problems) { return problems.name.length + problems.hosts.length; }

  var touched = false;
  form.addEventListener("input", function () { if (touched) show(check()); });
  form.addEventListener("focusout", function () { touched = true; show(check()); });

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    touched = true;
    var problems = check();
    show(problems);
    if (count(problems)) return;
    var newCa = document.getElementById("tls-new-ca").checked;
    if (newCa && !window.confirm("重新生成证书机构后，每台平板都要重新安装证书。确定吗？")) return;
    var button = document.getElementById("tls-submit");
    button.disabled = true;
    fetch("/admin/venue/tls", {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-Arena-Request": "1", Accept: "application/json" },
      body: JSON.stringify({ name: nameInput.value.trim(), hosts: hostList(), new_ca: newCa }),
    }).then(function (response) {
      return response.json().then(function (body) {
        if (!response.ok) {
          show(fromServer(body.error || {}));
          return;
        }
        var done = document.getElementById("tls-done");
        done.textContent = body.message + "（地址：" + body.hosts.join("、") + "）";
        done.hidden = false;
      });
    }).catch(function () {
      show({ name: [], hosts: ["连接不上 Arena 电脑，证书没有生成，请稍后再试"] });
    }).then(function () { button.disabled = false; });
  });
})();
