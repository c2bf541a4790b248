/* 当天复盘: plays the frames of a round's day — the ranking after each stop (or each sheet).
 *
 * The frames come from /api/v1/rounds/{id}/replay, or from the JSON inside the exported file
 * (#replay-data), so the same script plays offline. Each village is one bar; when places change
 * the bars slide to their new rows (CSS transitions on transform). "保存本帧 PNG" draws the
 * frame on a canvas and downloads it.
 */
(function () {
  "use strict";

  var root = document.getElementById("replay");
  var board = document.getElementById("board");
  var bars = document.getElementById("bars");
  var cut = document.getElementById("cut");
  var scrub = document.getElementById("scrub");
  var playButton = document.getElementById("play");
  var speedSelect = document.getElementById("speed");
  var bySelect = document.getElementById("by");
  var state = { data: null, i: 0, playing: false, timer: null, speed: 1, max: 1, places: {} };

  function $(id) { return document.getElementById(id); }

  function fmt(value) {
    return Number(value).toFixed(2);
  }

  function message(text) {
    var m = $("message");
    m.textContent = text;
    m.hidden = !text;
  }

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function load() {
    var inline = $("replay-data");
    if (inline) {
      start(JSON.parse(inline.textContent));
      return;
    }
    var by = bySelect ? bySelect.value : "stop";
    message("正在载入…");
    fetch(root.dataset.src + "?by=" + by, {
      headers: { Accept: "application/json" }, credentials: "same-origin",
    }).then(function (r) {
      return r.json().then(function (body) { return { ok: r.ok, body: body }; });
    }).then(function (answer) {
      if (!answer.ok) {
        var error = answer.body && answer.body.error;
        message((error && error.message) || "无法载入复盘");
        $("what").textContent = "";
        root.dataset.ready = "refused";
        return;
      }
      start(answer.body);
    }).catch(function () {
      message("网络中断，无法载入复盘，请稍后刷新");
    });
  }

  function start(data) {
    stop();
    state.data = data;
    state.places = {};
    var max = 1;
    data.frames.forEach(function (f) {
      f.rows.forEach(function (r) { if (r.total > max) max = r.total; });
    });
    state.max = max;
    bars.replaceChildren();
    Object.keys(data.villages).forEach(function (code) {
      var v = data.villages[code];
      var li = el("li", "bar-row");
      li.dataset.village = code;
      var name = el("span", "name", v.name);
      if (v.township) name.appendChild(el("small", "", v.township));
      var track = el("span", "track");
      track.appendChild(el("span", "fill"));
      track.appendChild(el("span", "value"));
      li.appendChild(el("span", "rank"));
      li.appendChild(name);
      li.appendChild(track);
      bars.appendChild(li);
    });
    scrub.max = String(data.frames.length - 1);
    message(data.frames.length > 1 ? "" : "本轮还没有评分记录");
    show(0);
    root.dataset.ready = "true";
    root.dataset.frames = String(data.frames.length);
  }

  function rowHeight() {
    var n = Math.max(1, Object.keys(state.data.villages).length);
    var u = Math.min(window.innerWidth / 1920, window.innerHeight / 1080);
    return Math.min(board.clientHeight / n, 110 * u);
  }

  function show(i) {
    var frames = state.data.frames;
    i = Math.max(0, Math.min(frames.length - 1, i));
    var frame = frames[i];
    var h = rowHeight();
    var gap = Math.max(2, Math.round(h * 0.1));
    var firstBottom = -1;
    frame.rows.forEach(function (r, position) {
      var li = bars.querySelector('[data-village="' + r.village + '"]');
      if (!li) return;
      var before = state.places[r.village];
      li.style.transform = "translateY(" + (position * h) + "px)";
      li.style.height = (h - gap) + "px";
      li.dataset.rank = String(r.rank);
      li.dataset.position = String(position + 1);
      li.querySelector(".rank").textContent = r.sheets_in ? String(r.rank) : "—";
      var value = li.querySelector(".value");
      value.textContent = r.sheets_in ? fmt(r.total) : "未评";
      if (r.sheets_in && r.provisional) value.appendChild(el("small", "", "暂定"));
      li.querySelector(".fill").style.width = (100 * r.total / state.max * 0.82) + "%";
      li.classList.toggle("bottom", !!r.bottom20 && r.sheets_in > 0);
      li.classList.toggle("unscored", !r.sheets_in);
      li.classList.remove("up", "down");
      if (before !== undefined && before !== position && Math.abs(i - state.i) === 1) {
        li.classList.add(position < before ? "up" : "down");
      }
      if (r.bottom20 && firstBottom < 0 && r.sheets_in) firstBottom = position;
    });
    frame.rows.forEach(function (r, position) { state.places[r.village] = position; });
    cut.hidden = firstBottom <= 0;
    if (firstBottom > 0) cut.style.transform = "translateY(" + (firstBottom * h - gap / 2) + "px)";
    state.i = i;
    scrub.value = String(i);
    $("clock").textContent = frame.clock || "--:--";
    $("sheets").textContent = "已收评分表 " + frame.sheets_in + " / " + state.data.sheets_expected + " 份";
    $("what").textContent = frame.what + (frame.complete ? " · 全部收齐" : "");
    $("step").textContent = "第 " + i + " / " + (frames.length - 1) + " 步";
    root.dataset.frame = String(i);
  }

  function tick() {
    if (!state.playing) return;
    if (state.i >= state.data.frames.length - 1) {
      stop();
      return;
    }
    show(state.i + 1);
    state.timer = setTimeout(tick, 1600 / state.speed);
  }

  function play() {
    if (!state.data) return;
    if (state.i >= state.data.frames.length - 1) show(0);
    state.playing = true;
    playButton.textContent = "⏸ 暂停";
    root.dataset.playing = "true";
    state.timer = setTimeout(tick, 400 / state.speed);
  }

  function stop() {
    state.playing = false;
    clearTimeout(state.timer);
    playButton.textContent = "▶ 播放";
    root.dataset.playing = "false";
  }

  function step(delta) {
    if (!state.data) return;
    stop();
    show(state.i + delta);
  }

  function setSpeed() {
    state.speed = Number(speedSelect.value) || 1;
    document.body.style.setProperty("--dur", Math.round(800 / state.speed) + "ms");
  }

  // The frame as a picture: the same rows, drawn at 1920×1080 on a canvas.
  function picture() {
    var frame = state.data.frames[state.i];
    var canvas = document.createElement("canvas");
    canvas.width = 1920;
    canvas.height = 1080;
    var g = canvas.getContext("2d");
    var font = '"Noto Sans CJK SC", "Microsoft YaHei", sans-serif';
    g.fillStyle = "#07142b";
    g.fillRect(0, 0, 1920, 1080);
    g.fillStyle = "#9b0f16";
    g.fillRect(0, 0, 1920, 130);
    g.fillStyle = "#f2b705";
    g.fillRect(0, 130, 1920, 4);
    g.fillStyle = "#ffe7a8";
    g.font = "26px " + font;
    g.fillText(state.data.round.campaign, 40, 44);
    g.fillStyle = "#fff";
    g.font = "bold 48px " + font;
    g.fillText(state.data.round.name + " · 当天复盘", 40, 104);
    g.textAlign = "right";
    g.font = "bold 60px " + font;
    g.fillText(frame.clock || "--:--", 1880, 76);
    g.font = "26px " + font;
    g.fillStyle = "#ffe7a8";
    g.fillText("已收评分表 " + frame.sheets_in + " / " + state.data.sheets_expected + " 份", 1880, 116);
    var top = 160;
    var h = Math.min(96, (1080 - top - 90) / Math.max(1, frame.rows.length));
    var firstBottom = -1;
    frame.rows.forEach(function (r, position) {
      var y = top + position * h;
      var v = state.data.villages[r.village];
      g.fillStyle = "rgba(255,255,255,0.06)";
      g.fillRect(40, y, 1840, h - 8);
      g.textAlign = "center";
      g.fillStyle = "#ffd24d";
      g.font = "bold " + Math.round(h * 0.42) + "px " + font;
      g.fillText(r.sheets_in ? String(r.rank) : "—", 90, y + h * 0.6);
      g.textAlign = "left";
      g.fillStyle = "#e9eef6";
      g.fillText(v.name, 160, y + h * 0.6);
      var width = 1200 * r.total / state.max;
      g.fillStyle = r.bottom20 && r.sheets_in ? "#c8342c" : (r.sheets_in ? "#f2b705" : "#55607a");
      g.fillRect(500, y + h * 0.18, Math.max(4, width), h * 0.56);
      g.fillStyle = "#fff";
      g.fillText(r.sheets_in ? fmt(r.total) + (r.provisional ? "（暂定）" : "") : "未评", 520 + width, y + h * 0.6);
      if (r.bottom20 && firstBottom < 0 && r.sheets_in) firstBottom = position;
    });
    if (firstBottom > 0) {
      var yc = top + firstBottom * h - 4;
      g.strokeStyle = "#ff6b5e";
      g.lineWidth = 4;
      g.setLineDash([18, 10]);
      g.beginPath();
      g.moveTo(40, yc);
      g.lineTo(1880, yc);
      g.stroke();
      g.setLineDash([]);
      g.fillStyle = "#ff6b5e";
      g.textAlign = "right";
      g.font = "bold 24px " + font;
      g.fillText("后20%", 1880, yc - 8);
    }
    g.textAlign = "left";
    g.fillStyle = "#e9eef6";
    g.font = "30px " + font;
    g.fillText("第 " + state.i + " / " + (state.data.frames.length - 1) + " 步 · " + frame.what, 40, 1050);
    return canvas.toDataURL("image/png");
  }

  function savePicture() {
    if (!state.data) return;
    var url = picture();
    var a = document.createElement("a");
    a.href = url;
    a.download = "复盘-" + state.data.round.name + "-第" + state.i + "步.png";
    document.body.appendChild(a);
    a.click();
    a.remove();
    root.dataset.png = String(url.length);
  }

  playButton.addEventListener("click", function () { if (state.playing) stop(); else play(); });
  $("next").addEventListener("click", function () { step(1); });
  $("back").addEventListener("click", function () { step(-1); });
  $("first").addEventListener("click", function () { stop(); if (state.data) show(0); });
  scrub.addEventListener("input", function () { stop(); show(Number(scrub.value)); });
  speedSelect.addEventListener("change", setSpeed);
  $("png").addEventListener("click", savePicture);
  if (bySelect) bySelect.addEventListener("change", load);
  document.addEventListener("keydown", function (e) {
    if (e.target && /^(INPUT|SELECT)$/.test(e.target.tagName) && e.target !== scrub) return;
    if (e.key === " ") { e.preventDefault(); playButton.click(); }
    else if (e.key === "ArrowRight") { e.preventDefault(); step(1); }
    else if (e.key === "ArrowLeft") { e.preventDefault(); step(-1); }
  });
  window.addEventListener("resize", function () { if (state.data) show(state.i); });
  setSpeed();
  load();
})();
