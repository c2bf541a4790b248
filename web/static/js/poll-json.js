// 组织者的实时表格页（评分进度、评委一致性）共用：每隔一段时间读取一次 JSON，连不上时显示 #connection。
(function () {
  "use strict";

  function clock(iso) {
    return new Date(iso).toLocaleTimeString("zh-CN", { hour12: false });
  }

  // Reads `url` now and then every `period` ms: hands each answer to `render`, hides the
  // connection note, then calls `done` (if given). A failed read shows the note and tries again.
  function every(url, period, render, done) {
    async function poll() {
      const note = document.getElementById("connection");
      try {
        const r = await fetch(url, {
          credentials: "same-origin", headers: { Accept: "application/json" }, cache: "no-store",
        });
        if (!r.ok) throw new Error(String(r.status));
        render(await r.json());
        note.hidden = true;
        if (done) done();
      } catch (_) {
        note.hidden = false;
        note.textContent = "连接中断，正在重试";
      } finally {
        setTimeout(poll, period);
      }
    }
    poll();
  }

  window.ArenaPoll = { every, clock };
})();
