/* 评比设置表单里的“村民手机测评”：papers.satisfaction.survey 的题目、卡片数、开放题、起止时间。
 * round-form.js 调用 ArenaSurveyFields.bind(d, changed, locked)：把已有设置填进表单，修改时写回 d。
 * 题目一行一题；编码按行号沿用原有编码（新题为 q1、q2……）。时间按北京时间填写。 */
(function () {
  "use strict";

  function bind(d, changed, locked) {
    var box = document.getElementById("survey-fields");
    if (!box) return;
    var sat = d.papers.satisfaction;
    var on = document.getElementById("f-survey-on");
    var body = box.querySelector("[data-survey-body]");
    var questions = document.getElementById("f-survey-questions");
    var size = document.getElementById("f-survey-size");
    var free = document.getElementById("f-survey-free");
    var opens = document.getElementById("f-survey-open");
    var closes = document.getElementById("f-survey-close");
    var kept = sat.survey ? JSON.parse(JSON.stringify(sat.survey)) : null;

    function local(value) { return value ? String(value).replace(" ", "T").slice(0, 16) : ""; }
    function show(s) {
      on.checked = !!s;
      body.hidden = !s;
      s = s || {};
      questions.value = (s.questions || []).map(function (q) { return q.text; }).join("\n");
      size.value = s.sample_size === undefined ? "40" : String(s.sample_size);
      free.value = s.free_text || "";
      opens.value = local(s.opens_at);
      closes.value = local(s.closes_at);
    }
    function read() {
      if (!on.checked) { delete sat.survey; return; }
      var before = (kept && kept.questions) || [];
      var used = {};
      before.forEach(function (q) { used[q.code] = true; });
      var n = 0;
      function fresh() { do { n++; } while (used["q" + n]); used["q" + n] = true; return "q" + n; }
      var lines = questions.value.split("\n").map(function (t) { return t.trim(); }).filter(Boolean);
      var out = {
        questions: lines.map(function (text, i) {
          var q = { code: before[i] ? before[i].code : fresh(), text: text };
          if (before[i] && before[i].scale) q.scale = before[i].scale;
          return q;
        }),
        free_text: free.value.trim(),
        sample_size: /^\d+$/.test(size.value.trim()) ? Number(size.value.trim()) : size.value.trim()
      };
      if (opens.value) out.opens_at = opens.value + ":00";
      if (closes.value) out.closes_at = closes.value + ":00";
      sat.survey = out;
    }
    show(sat.survey);
    [on, questions, size, free, opens, closes].forEach(function (node) {
      if (locked) node.disabled = true;
      node.addEventListener(node === on ? "change" : "input", function () {
        if (node === on) body.hidden = !on.checked;
        read();
        changed();
      });
    });
  }

  window.ArenaSurveyFields = { bind: bind };
})();
