// 列表中的“删除 / 归档 / 恢复”：确认框写明名称；没有数值（分数）的才能删除，其余只能归档。
(function () {
  "use strict";
  const note = document.getElementById("putaway-error");
  const ASK = {
    delete: (what, name) => `确定删除${what}「${name}」吗？\n删除后不可恢复。`,
    archive: (what, name) => `确定归档${what}「${name}」吗？\n归档后不在列表中显示，数据完整保留，可随时恢复。`,
    restore: (what, name) => `确定恢复${what}「${name}」吗？`,
  };

  document.addEventListener("click", async (event) => {
    const button = event.target.closest("[data-putaway]");
    if (!button) return;
    const box = button.closest(".putaway");
    const { name, what, url } = box.dataset;
    const action = button.dataset.putaway;
    if (!window.confirm(ASK[action](what, name))) return;
    button.disabled = true;
    try {
      const r = await fetch(action === "delete" ? url : `${url}/archive`, {
        method: action === "delete" ? "DELETE" : "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-Arena-Request": "1", Accept: "application/json" },
        body: JSON.stringify(action === "delete" ? { confirm: name } : { archived: action === "archive" }),
      });
      const answer = await r.json();
      if (!r.ok) throw new Error(answer.error ? answer.error.message : `服务器拒绝（${r.status}）`);
      if (box.dataset.after) window.location.assign(box.dataset.after);
      else window.location.reload();
    } catch (err) {
      note.textContent = `${{ delete: "删除", archive: "归档", restore: "恢复" }[action]}失败：${err.message === "Failed to fetch" ? "网络不通，请稍后再试" : err.message}`;
      note.hidden = false;
      button.disabled = false;
    }
  });
})();
