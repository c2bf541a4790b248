// 组织者更换个人链接：确认后作废旧链接，显示新链接。
(function () {
  "use strict";
  const root = document.getElementById("links");
  const roundId = root.dataset.round;

  root.addEventListener("click", async (event) => {
    const button = event.target.closest(".reissue");
    if (!button) return;
    const row = button.closest("tr");
    const note = row.querySelector(".link-note");
    const ok = window.confirm(`确定要更换「${row.dataset.name}」的链接吗？\n旧链接和用旧链接登录的设备将立即失效，需要把新链接发给本人。`);
    if (!ok) return;
    button.disabled = true;
    try {
      const r = await fetch(`/api/v1/rounds/${roundId}/links`, {
        method: "POST", credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-Arena-Request": "1" },
        body: JSON.stringify({ role: row.dataset.role, code: row.dataset.code }),
      });
      const answer = await r.json();
      if (!r.ok) throw new Error(answer.error ? answer.error.message : `服务器拒绝（${r.status}）`);
      row.querySelector(".link-url").textContent = answer.url;
      row.classList.add("renewed");
      note.textContent = "已更换：上面是新链接，旧链接已失效。评委卡需要重新打印。";
    } catch (err) {
      note.textContent = `更换失败：${err.message === "Failed to fetch" ? "网络不通，请稍后再试" : err.message}`;
    } finally {
      note.hidden = false;
      button.disabled = false;
    }
  });
})();
