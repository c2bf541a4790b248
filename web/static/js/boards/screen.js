/* The board screen: draw the distribution; redraw when the board's live channel says it changed. */
"use strict";
(function () {
  var data = window.BoardCharts.readJson("histogram-data");
  var big = window.innerWidth >= 1300;
  if (data) window.BoardCharts.histogram("histogram", data, big ? 18 : 12);
  var live = document.getElementById("live");
  window.ArenaLive.open(live.dataset.channel, {
    heartbeatSeconds: Number(live.dataset.heartbeat) || 15,
    onData: function (data) {
      if (data.version !== live.dataset.version) window.location.reload();
    },
  });
})();
