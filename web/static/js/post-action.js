/* Organiser buttons that POST an empty JSON body (cookie + the X-Arena-Request header) and
 * read the answer: ArenaFetch.postAction(url) resolves with the JSON body, or rejects with an
 * Error carrying the server's message. Load it before the page script that uses it. */
(function () {
  "use strict";

  var HEADERS = { "Content-Type": "application/json", "X-Arena-Request": "1",
    Accept: "application/json" };

  function postAction(url) {
    return fetch(url, { method: "POST", headers: HEADERS, body: "{}", credentials: "same-origin" })
      .then(function (response) {
        return response.json().then(function (body) {
          if (!response.ok) throw new Error((body.error && body.error.message) || "操作失败");
          return body;
        });
      });
  }

  window.ArenaFetch = window.ArenaFetch || {};
  window.ArenaFetch.postAction = postAction;
})();
