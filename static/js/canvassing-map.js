// Draw a turf's doors, numbered in walking order, with vendored Leaflet; tiles only when a tile URL is set.
document.addEventListener("DOMContentLoaded", () => {
  const element = document.getElementById("turf-map");
  const source = document.getElementById("turf-map-points");
  if (!element || !source || typeof L === "undefined") return;
  const points = JSON.parse(source.textContent);
  if (!points.length) return;
  const map = L.map(element, { scrollWheelZoom: false });
  const tileUrl = element.dataset.tileUrl;
  if (tileUrl) {
    L.tileLayer(tileUrl, { maxZoom: 19, attribution: element.dataset.tileAttribution || "" }).addTo(map);
  }
  const path = points.map((p) => [p.lat, p.lng]);
  L.polyline(path, { color: "#1a56db", weight: 3, dashArray: "6 4" }).addTo(map);
  points.forEach((p) => {
    L.circleMarker([p.lat, p.lng], { radius: 7, color: "#7a0f12", fillOpacity: 0.9 })
      .bindTooltip(p.label)
      .addTo(map);
  });
  map.fitBounds(L.latLngBounds(path).pad(0.15));
});
