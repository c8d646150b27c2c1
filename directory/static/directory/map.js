/* The directory's "près de chez moi" button and map: additions to a page that works
   without them. Nothing leaves the site until the visitor asks: Leaflet is served from
   here, and the tiles are only requested once the map is shown. */
(function () {
  "use strict";

  var MAX_FEATURES = 5000;

  function geolocation() {
    var button = document.querySelector("[data-geolocate]");
    // Browsers only locate visitors for https pages.
    if (!button || !("geolocation" in navigator) || !window.isSecureContext) return;
    var form = button.form;
    var status = document.getElementById(button.getAttribute("data-status"));
    var help = document.querySelector("[data-geolocate-help]");
    button.hidden = false;
    if (help) help.hidden = false;
    button.addEventListener("click", function () {
      button.disabled = true;
      status.textContent = button.getAttribute("data-waiting");
      navigator.geolocation.getCurrentPosition(
        function (position) {
          form.elements.lat.value = position.coords.latitude.toFixed(5);
          form.elements.lon.value = position.coords.longitude.toFixed(5);
          // A postcode typed earlier would win over the position.
          form.elements.pres.value = "";
          form.submit();
        },
        function () {
          button.disabled = false;
          status.textContent = button.getAttribute("data-failed");
        },
        { enableHighAccuracy: false, timeout: 15000, maximumAge: 300000 }
      );
    });
  }

  function load(tag, attributes) {
    return new Promise(function (resolve, reject) {
      var element = document.createElement(tag);
      Object.keys(attributes).forEach(function (name) {
        element.setAttribute(name, attributes[name]);
      });
      element.onload = resolve;
      element.onerror = reject;
      document.head.appendChild(element);
    });
  }

  function features(url, found) {
    return fetch(url, { headers: { Accept: "application/geo+json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      })
      .then(function (data) {
        found = found.concat(data.features || []);
        var next = (data.links || []).filter(function (link) { return link.rel === "next"; })[0];
        if (next && found.length < MAX_FEATURES) {
          // Same origin whatever scheme or host the server wrote in the link.
          var target = new URL(next.href, window.location.href);
          return features(target.pathname + target.search, found);
        }
        return found;
      });
  }

  // The API links entries to the portal's pages; on a commune's site, stay on its own.
  function entryUrl(url, base) {
    if (!url || !base) return url || base;
    var segments = new URL(url, window.location.href).pathname.split("/").filter(Boolean);
    return base + segments[segments.length - 1] + "/";
  }

  function popup(properties, base, formatKm) {
    var box = document.createElement("div");
    var title = document.createElement("p");
    var link = document.createElement("a");
    link.href = entryUrl(properties.url, base);
    link.textContent = properties.name;
    title.appendChild(document.createElement("strong")).appendChild(link);
    box.appendChild(title);
    var meta = properties.category_label;
    if (typeof properties.distance_km === "number") meta += " · " + formatKm(properties.distance_km);
    box.appendChild(document.createElement("p")).textContent = meta;
    var place = [properties.address, [properties.postcode, properties.city].join(" ").trim()];
    place = place.filter(Boolean).join(", ");
    if (place) box.appendChild(document.createElement("p")).textContent = place;
    return box;
  }

  function draw(panel, container, found) {
    var d = panel.dataset;
    var still = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    var map = L.map(container, {
      zoomControl: false,
      scrollWheelZoom: false, // scrolling the page must not zoom the map under the pointer
      zoomAnimation: !still,
      fadeAnimation: !still,
      markerZoomAnimation: !still,
      inertia: !still,
    });
    L.control.zoom({ zoomInTitle: d.zoomIn, zoomOutTitle: d.zoomOut }).addTo(map);
    map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');
    L.tileLayer(d.tiles, { attribution: d.attribution, maxZoom: 19 }).addTo(map);
    var icon = L.icon({
      iconUrl: d.icon,
      iconRetinaUrl: d.icon2x,
      shadowUrl: d.shadow,
      iconSize: [25, 41],
      iconAnchor: [12, 41],
      popupAnchor: [1, -34],
      shadowSize: [41, 41],
    });
    var number = new Intl.NumberFormat(document.documentElement.lang || "fr", {
      maximumFractionDigits: 1,
    });
    var formatKm = function (km) { return number.format(km) + " km"; };
    var points = [];
    found.forEach(function (feature) {
      var p = feature.properties;
      var latlng = [feature.geometry.coordinates[1], feature.geometry.coordinates[0]];
      var marker = L.marker(latlng, { icon: icon, title: p.name, alt: p.name, keyboard: true });
      marker.bindPopup(popup(p, d.entryBase, formatKm));
      marker.addTo(map);
      points.push(latlng);
    });
    // Keyboard users land in the popup they opened, and go back to its marker on closing.
    map.on("popupopen", function (event) {
      var link = event.popup.getElement().querySelector(".leaflet-popup-content a");
      if (link) link.focus({ preventScroll: true });
      var close = event.popup.getElement().querySelector(".leaflet-popup-close-button");
      if (close && d.close) close.setAttribute("aria-label", d.close);
    });
    map.on("popupclose", function (event) {
      var source = event.popup._source;
      var element = source && source.getElement && source.getElement();
      if (element && container.contains(document.activeElement)) element.focus({ preventScroll: true });
    });
    if (points.length) {
      map.fitBounds(points, { padding: [30, 30], maxZoom: 15, animate: false });
    } else if (d.lat) {
      map.setView([parseFloat(d.lat), parseFloat(d.lon)], 12);
    } else {
      map.setView([44.85, 0.48], 9);
    }
    return map;
  }

  function mapPanel() {
    var panel = document.querySelector("[data-directory-map]");
    if (!panel || !window.fetch || !window.Promise || !window.URL) return;
    var d = panel.dataset;
    var button = panel.querySelector("[data-map-toggle]");
    var container = document.getElementById(button.getAttribute("aria-controls"));
    var status = panel.querySelector("[data-map-status]");
    var state = "idle";
    var map = null;
    panel.hidden = false;

    function expanded(open) {
      container.hidden = !open;
      button.setAttribute("aria-expanded", String(open));
      button.textContent = open ? d.hideLabel : d.showLabel;
    }

    button.addEventListener("click", function () {
      if (state === "loading") return;
      if (state === "ready") {
        expanded(container.hidden);
        if (!container.hidden) map.invalidateSize();
        return;
      }
      state = "loading";
      status.textContent = d.loading;
      Promise.all([
        load("link", { rel: "stylesheet", href: d.leafletCss }),
        load("script", { src: d.leafletJs }),
        features(d.geojson, []),
      ])
        .then(function (results) {
          var found = results[2];
          expanded(true);
          map = draw(panel, container, found);
          state = "ready";
          if (!found.length) status.textContent = d.loadedNone;
          else if (found.length === 1) status.textContent = d.loadedOne;
          else status.textContent = d.loadedMany.replace("%s", found.length);
        })
        .catch(function () {
          state = "idle";
          expanded(false);
          status.textContent = d.failed;
        });
    });
  }

  geolocation();
  mapPanel();
})();
