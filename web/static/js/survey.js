// 群众满意度测评：提交前逐题检查，漏答的题标红并提示；提交时按钮变灰，防止连点重复提交。
(function () {
  "use strict";
  var form = document.getElementById("survey");
  if (!form) return;
  form.addEventListener("submit", function (event) {
    var missing = 0;
    var first = null;
    var sets = form.querySelectorAll("fieldset[data-question]");
    for (var i = 0; i < sets.length; i++) {
      var box = sets[i];
      var answered = box.querySelector("input:checked") !== null;
      var note = box.querySelector(".err");
      box.classList.toggle("bad", !answered);
      if (note) note.hidden = answered;
      if (!answered) {
        missing++;
        if (!first) first = box;
      }
    }
    if (missing) {
      event.preventDefault();
      first.scrollIntoView({ behavior: "smooth", block: "center" });
      return;
    }
    var button = document.getElementById("submit");
    button.disabled = true;
    button.textContent = "正在提交…";
  });
  form.addEventListener("change", function (event) {
    var box = event.target.closest("fieldset[data-question]");
    if (!box) return;
    box.classList.remove("bad");
    var note = box.querySelector(".err");
    if (note) note.hidden = true;
  });
})();
// 返回上一页时（浏览器缓存的页面）按钮恢复可点。
window.addEventListener("pageshow", function () {
  var button = document.getElementById("submit");
  if (button) {
    button.disabled = false;
    button.textContent = "提交";
  }
});
