/*! sw.js: keeps a person's own ticket page on the phone, so the QR opens at the door without a network.
 *
 * Served at /sw.js (events/offline_views.py) so that its scope is the whole site. What it keeps:
 *   - the person's registration pages (/me/registrations/<id>/), network first: every visit online
 *     saves the fresh page, and offline the saved copy opens (it says when it was saved);
 *   - static files (/static/), for the saved page's look.
 * Nothing else: no other page, no API answer, nobody else's data (those pages answer 404 to anyone
 * but their owner, and only 200 answers are kept). Signing out (POST /me/sign-out/) empties it, and
 * a page of another person (the page tells its owner's id) empties the previous person's copies.
 */
"use strict";

var PAGES = "ticket-pages-v1";
var STATIC = "ticket-static-v1";
var META = "ticket-meta-v1";
var KEPT = [PAGES, STATIC, META];
var TICKET_PAGE = /^\/me\/registrations\/\d+\/$/;

self.addEventListener("install", function () {
  self.skipWaiting();
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches
      .keys()
      .then(function (names) {
        return Promise.all(
          names
            .filter(function (n) {
              return KEPT.indexOf(n) < 0;
            })
            .map(function (n) {
              return caches.delete(n);
            })
        );
      })
      .then(function () {
        return self.clients.claim();
      })
  );
});

function forget() {
  return Promise.all([caches.delete(PAGES), caches.delete(META)]);
}

function networkFirst(request, url) {
  return fetch(request).then(
    function (response) {
      if (response.ok && !response.redirected && response.type === "basic") {
        var copy = response.clone();
        caches.open(PAGES).then(function (cache) {
          return cache.put(url.pathname, copy);
        });
      } else if (response.status === 404 || response.status === 401 || response.redirected) {
        // Not (or no longer) this person's page: never show a saved copy of it.
        caches.open(PAGES).then(function (cache) {
          return cache.delete(url.pathname);
        });
      }
      return response;
    },
    function (error) {
      return caches.open(PAGES).then(function (cache) {
        return cache.match(url.pathname).then(function (saved) {
          if (saved) return saved;
          throw error;
        });
      });
    }
  );
}

function staleWhileRevalidate(request) {
  return caches.open(STATIC).then(function (cache) {
    return cache.match(request).then(function (saved) {
      var fresh = fetch(request).then(function (response) {
        if (response.ok && response.type === "basic") cache.put(request, response.clone());
        return response;
      });
      return saved || fresh;
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method === "POST" && url.pathname === "/me/sign-out/") {
    event.waitUntil(forget());
    return; // the sign-out itself goes to the network untouched
  }
  if (request.method !== "GET") return;
  if (TICKET_PAGE.test(url.pathname) && !url.search) {
    event.respondWith(networkFirst(request, url));
  } else if (url.pathname.indexOf("/static/") === 0) {
    event.respondWith(staleWhileRevalidate(request));
  }
});

// Saved pages other than `keep` (the page of the person now signed in).
function forgetOthers(keep) {
  return caches.open(PAGES).then(function (cache) {
    return cache.keys().then(function (requests) {
      return Promise.all(
        requests
          .filter(function (r) {
            return new URL(r.url).pathname !== keep;
          })
          .map(function (r) {
            return cache.delete(r);
          })
      );
    });
  });
}

// The ticket page tells whose it is; another person than last time empties the earlier person's pages.
self.addEventListener("message", function (event) {
  var data = event.data || {};
  if (data.type !== "person" || typeof data.person !== "string" || typeof data.page !== "string") return;
  event.waitUntil(
    caches.open(META).then(function (meta) {
      return meta.match("/person").then(function (saved) {
        return (saved ? saved.text() : Promise.resolve(null)).then(function (before) {
          var done = before !== null && before !== data.person ? forgetOthers(data.page) : Promise.resolve();
          return done.then(function () {
            return meta.put("/person", new Response(data.person));
          });
        });
      });
    })
  );
});
