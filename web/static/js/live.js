/* Arena live channel client: snapshot + updates by seq, resync on a gap, reconnect with backoff.
 *
 * const ch = ArenaLive.open("/ws/rounds/3", {
 *   onData(data, type) {},        // every snapshot and update, in order
 *   onState(state, info) {},      // "connecting" | "live" | "offline"; info.since, info.retryIn
 *   heartbeatSeconds: 15,         // the server's heartbeat; silence for 3x this means a dead link
 * });
 * ch.close();
 * Reused by every live page (screens, boards, consoles, participants). Reconnects back off from
 * 0.5 s to at most 2 s (with jitter), and at once when the browser reports the network back.
 */
(function () {
  "use strict";

  function open(path, options) {
    var opts = options || {};
    var heartbeat = (opts.heartbeatSeconds || 15) * 1000;
    var minDelay = opts.minDelay || 500;
    // Short: a screen must be right again within about 2 s of the network's return.
    var maxDelay = opts.maxDelay || 2000;
    var socket = null;
    var seq = null;
    var attempt = 0;
    var retryTimer = null;
    var watchdog = null;
    var closed = false;
    var offlineSince = null;

    function url() {
      var scheme = location.protocol === "https:" ? "wss://" : "ws://";
      return scheme + location.host + path;
    }

    function setState(state, extra) {
      if (state === "live") offlineSince = null;
      else if (offlineSince === null) offlineSince = new Date();
      if (opts.onState) {
        var info = extra || {};
        info.since = offlineSince;
        opts.onState(state, info);
      }
    }

    function armWatchdog() {
      clearTimeout(watchdog);
      // No frame (not even a heartbeat) for three periods: the link is dead without a close.
      watchdog = setTimeout(function () {
        if (socket) socket.close();
      }, heartbeat * 3);
    }

    function resync() {
      if (socket && socket.readyState === WebSocket.OPEN) {
        socket.send(JSON.stringify({ type: "resync" }));
      }
    }

    function onMessage(event) {
      armWatchdog();
      var message;
      try {
        message = JSON.parse(event.data);
      } catch (e) {
        return;
      }
      if (message.type === "snapshot") {
        seq = message.seq;
        attempt = 0;
        setState("live");
        opts.onData(message.data, "snapshot");
        return;
      }
      if (seq === null) return; // nothing before the snapshot counts
      if (message.type === "heartbeat") {
        if (message.seq !== seq) resync();
        return;
      }
      if (message.seq <= seq) return; // already in the snapshot
      if (message.seq !== seq + 1) {
        resync(); // a message was lost: ask for the whole picture
        return;
      }
      seq = message.seq;
      opts.onData(message.data, message.type);
    }

    function connect() {
      clearTimeout(retryTimer);
      if (closed) return;
      setState("connecting", {});
      seq = null;
      var ws;
      try {
        ws = new WebSocket(url());
      } catch (e) {
        schedule();
        return;
      }
      socket = ws;
      ws.onopen = armWatchdog;
      ws.onmessage = onMessage;
      ws.onclose = function () {
        if (socket !== ws) return;
        socket = null;
        clearTimeout(watchdog);
        schedule();
      };
      ws.onerror = function () {
        ws.close();
      };
    }

    function schedule() {
      if (closed) return;
      // Exponential backoff with jitter, so a room of screens does not reconnect in lockstep.
      var delay = Math.min(maxDelay, minDelay * Math.pow(2, attempt));
      delay = delay / 2 + Math.random() * delay / 2;
      attempt += 1;
      setState("offline", { retryIn: delay });
      retryTimer = setTimeout(connect, delay);
    }

    function wake() {
      // The network came back or the tab became visible: try now instead of waiting.
      if (!socket && !closed) {
        attempt = 0;
        connect();
      }
    }

    window.addEventListener("online", wake);
    window.addEventListener("offline", function () {
      // The browser knows the link is down: say so now, not after the next failed heartbeat.
      if (socket) socket.close();
      else setState("offline", {});
    });
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "visible") wake();
    });
    connect();

    return {
      resync: resync,
      close: function () {
        closed = true;
        clearTimeout(retryTimer);
        clearTimeout(watchdog);
        if (socket) socket.close();
      },
    };
  }

  function formatTime(date) {
    function two(n) {
      return (n < 10 ? "0" : "") + n;
    }
    return two(date.getHours()) + ":" + two(date.getMinutes()) + ":" + two(date.getSeconds());
  }

  function formatNumber(value) {
    if (value === null || value === undefined) return "—";
    return Number(value).toFixed(2);
  }

  window.ArenaLive = { open: open, formatTime: formatTime, formatNumber: formatNumber };
})();
