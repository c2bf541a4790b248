/* A participant's village on the board: the trend across periods. */
"use strict";
(function () {
  var detail = window.BoardCharts.readJson("village-data");
  if (detail && detail.trend.length) window.BoardCharts.trend("trend", detail.trend);
})();
