{% load static %}/* Service worker of the door scanner: keeps the page and its decoder available offline, so a
 * phone that reloads the page at a venue without network still scans (with its offline list). API
 * calls are never cached: they always go to the network, and the page falls back to its own queue. */
"use strict";
const CACHE = "checkin-scanner-v1";
const ASSETS = [
  "{% static 'checkin/scanner.css' %}",
  "{% static 'checkin/scanner.js' %}",
  "{% static 'checkin/scanner-offline.js' %}",
  "{% static 'vendor/barcode-detector-polyfill.js' %}",
  "{% static 'vendor/zxing_reader.wasm' %}",
];
const PAGE = /^\/checkin\/[-\w]+\/scan$/;

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(ASSETS)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim())
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (ASSETS.includes(url.pathname)) {
    // Static files: from the cache, refreshed from the network when it answers.
    event.respondWith(
      caches.match(url.pathname).then((cached) => {
        const fresh = fetch(request).then((response) => {
          if (response.ok) caches.open(CACHE).then((cache) => cache.put(url.pathname, response.clone()));
          return response;
        });
        return cached || fresh;
      })
    );
  } else if (PAGE.test(url.pathname)) {
    // The page: from the network when there is one (it may have changed), else the last copy.
    event.respondWith(
      fetch(request)
        .then((response) => {
          if (response.ok) {
            const copy = response.clone();
            caches.open(CACHE).then((cache) => cache.put(url.pathname, copy));
          }
          return response;
        })
        .catch(() => caches.match(url.pathname))
    );
  }
});
