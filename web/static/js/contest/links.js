// 擂台赛个人链接：更换某人的链接（旧链接立即失效），卡片上换成新二维码。
(function () {
  "use strict";
  document.addEventListener("click", async (event) => {
    const button = event.target.closest(".reissue");
    if (!button) return;
    const card = button.closest(".card");
    const note = card.querySelector(".link-note");
    const ok = window.confirm(`确定要更换「${card.dataset.name}」的链接吗？\n旧链接和用旧链接登录的设备将立即失效，需要把新链接或新二维码交给本人。`);
    if (!ok) return;
    button.disabled = true;
    try {
      const r = await fetch(`/api/v1/contests/${card.dataset.contest}/links`, {
        method: "POST", credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-Arena-Request": "1", Accept: "application/json" },
        body: JSON.stringify({ role: card.dataset.role, code: card.dataset.code }),
      });
      const answer = await r.json();
      if (!r.ok) throw new Error(answer.error ? answer.error.message : `服务器拒绝（${r.status}）`);
      // the new QR code is drawn by the server: take this card from the page as it is now
      const page = await fetch(window.location.href, { credentials: "same-origin" });
      const fresh = new DOMParser().parseFromString(await page.text(), "text/html");
      const same = [...fresh.querySelectorAll(".card")].find(
        (c) => c.dataset.role === card.dataset.role && c.dataset.code === card.dataset.code);
      const link = card.querySelector(".card-link");
      if (same) link.replaceWith(document.importNode(same.querySelector(".card-link"), true));
      else link.querySelector(".card-url").textContent = answer.url;
      card.classList.add("renewed");
      note.textContent = "已更换：上面是新链接和新二维码，旧链接已失效。请重新打印这张卡片。";
    } catch (err) {
      note.textContent = `更换失败：${err.message === "Failed to fetch" ? "网络不通，请稍后再试" : err.message}`;
    } finally {
      note.hidden = false;
      button.disabled = false;
    }
  });
})();
