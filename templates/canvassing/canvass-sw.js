{% load static %}// Blockwork's canvassing service worker: keeps the phone page and its files for a shift with no connection.
// Only GETs of the walk page and static files are handled; results are sent by the page itself.
const CACHE = "blockwork-canvass-v1";
const FILES = [
  "{% static 'css/blockwork.css' %}",
  "{% static 'css/canvassing.css' %}",
  "{% static 'js/blockwork.js' %}",
  "{% static 'js/canvassing-walk.js' %}",
  "{% static 'vendor/htmx/htmx.min.js' %}",
];
const WALK_PAGE = /^\/c\/[^/]+\/canvass\/turfs\/\d+\/walk\/$/;

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(FILES)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((key) => key !== CACHE).map((key) => caches.delete(key))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (!WALK_PAGE.test(url.pathname) && !url.pathname.startsWith("/static/")) return;
  // Network first, so a reassigned turf shows at once; the cached copy when there is no network.
  event.respondWith(
    fetch(request)
      .then((response) => {
        if (response.ok && !response.redirected) {
          const copy = response.clone();
          caches.open(CACHE).then((cache) => cache.put(url.pathname, copy));
        }
        return response;
      })
      .catch(() => caches.match(url.pathname).then((cached) => cached || Response.error())),
  );
});
