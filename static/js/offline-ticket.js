// The ticket page registers the service worker (static/js/sw.js, served at /sw.js) that keeps it on
// the phone, tells it whose page this is, and says when the copy on screen was saved.
(function () {
  "use strict";
  var root = document.querySelector("[data-offline-ticket]");
  if (!root || !("serviceWorker" in navigator)) return;
  var saved = root.querySelector("[data-saved-at]");
  var offline = root.querySelector("[data-offline]");
  function showState() {
    if (offline) offline.hidden = navigator.onLine;
  }
  navigator.serviceWorker
    .register("/sw.js", { scope: "/" })
    .then(function () {
      return navigator.serviceWorker.ready;
    })
    .then(function (registration) {
      if (saved) saved.hidden = false;
      var message = { type: "person", person: root.getAttribute("data-person"), page: location.pathname };
      (navigator.serviceWorker.controller || registration.active).postMessage(message);
    })
    .catch(function () {
      /* no service worker here (a private window, an old browser): the page works online as before */
    });
  window.addEventListener("online", showState);
  window.addEventListener("offline", showState);
  showState();
})();
