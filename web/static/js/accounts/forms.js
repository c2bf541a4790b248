// Forms on the sign-in, account and session pages: each field's rules come from the data-*
// attributes the server wrote, problems show beside the field as you type, and every problem is
// listed before a post. The server checks the same rules again (and a few more, such as common
// passwords), so this only saves a round trip. Forms with data-confirm ask first.
(function () {
  "use strict";

  const NAME_CHARS = /^[\p{L}\p{N}._\-·]+$/u;

  function chars(text) {
    return Array.from(text).length;
  }

  function problems(input) {
    const value = input.value;
    const d = input.dataset;
    const out = [];
    if (!value) {
      if (d.required) out.push(d.required);
      return out;
    }
    if (d.nameMax) {
      const name = value.trim();
      if (chars(name) > Number(d.nameMax)) out.push(`登录名不能超过 ${d.nameMax} 个字`);
      if (name && !NAME_CHARS.test(name)) out.push("登录名只能由汉字、字母、数字和 . _ - · 组成，不能有空格");
    }
    if (d.min && chars(value) < Number(d.min)) out.push(`密码至少 ${d.min} 位`);
    if (d.max && chars(value) > Number(d.max)) out.push(`密码不能超过 ${d.max} 位`);
    if (!out.length && d.min && new Set(value).size === 1) {
      out.push("密码过于常见，容易被猜中，请换一个");
    }
    let name = d.notName || "";
    if (d.notNameField) {
      const other = document.getElementById(d.notNameField);
      name = other ? other.value.trim() : "";
    }
    if (name && !out.length && value.toLowerCase() === name.toLowerCase()) out.push("密码不能与登录名相同");
    if (d.sameAs) {
      const other = document.getElementById(d.sameAs);
      if (other && value !== other.value) out.push("两次输入的密码不一致");
    }
    return out;
  }

  function show(input, list) {
    const error = document.getElementById(input.id + "-error");
    if (list.length) {
      input.setAttribute("aria-invalid", "true");
    } else {
      input.removeAttribute("aria-invalid");
    }
    if (error) {
      error.textContent = list.join("；");
      error.hidden = list.length === 0;
    }
  }

  function check(input) {
    const list = problems(input);
    show(input, list);
    return list;
  }

  function dependants(form, input) {
    return Array.from(form.querySelectorAll("input")).filter(
      (other) => other.dataset.sameAs === input.id || other.dataset.notNameField === input.id
    );
  }

  function wire(form) {
    const inputs = Array.from(form.querySelectorAll("input[data-required]"));
    const touched = new Set();
    const summary = form.querySelector(".form-problems");
    inputs.forEach((input) => {
      input.addEventListener("input", () => {
        touched.add(input);
        check(input);
        dependants(form, input).forEach((other) => {
          if (touched.has(other)) check(other);
        });
        if (summary) summary.hidden = true;
      });
      input.addEventListener("blur", () => {
        if (input.value) touched.add(input);
        if (touched.has(input)) check(input);
      });
    });
    form.addEventListener("submit", (event) => {
      let count = 0;
      let first = null;
      inputs.forEach((input) => {
        touched.add(input);
        const list = check(input);
        count += list.length;
        if (list.length && !first) first = input;
      });
      if (count) {
        event.preventDefault();
        if (summary) {
          summary.textContent = `还有 ${count} 处需要修改，见各栏下方的红字。`;
          summary.hidden = false;
        }
        first.focus();
        return;
      }
      const button = form.querySelector("button[type=submit]");
      if (button) setTimeout(() => { button.disabled = true; }, 0);
    });
  }

  function confirmBefore(form) {
    form.addEventListener("submit", (event) => {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  }

  document.querySelectorAll("form[data-check]").forEach(wire);
  document.querySelectorAll("form[data-confirm]").forEach(confirmBefore);
})();
