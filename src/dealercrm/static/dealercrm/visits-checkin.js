// The check-in form: ask the phone's position once, fill the hidden latitude / longitude /
// accuracy fields and show roughly how far the customer is. The server computes the distance
// that is stored (geodesic on WGS-84); this estimate (haversine) only informs the rep.
(function () {
  "use strict";
  var form = document.getElementById("checkin-form");
  var status = document.getElementById("position-status");
  var texts = document.getElementById("checkin-messages");
  var source = document.getElementById("checkin-customer");
  if (!form || !status || !texts || !source) {
    return;
  }
  var customer = JSON.parse(source.textContent);
  function format(text, values) {
    return text.replace(/%\((\w+)\)s/g, function (_all, name) { return values[name]; });
  }
  function estimate(lat1, lon1, lat2, lon2) {
    var rad = Math.PI / 180, earth = 6371008.8;
    var dLat = (lat2 - lat1) * rad, dLon = (lon2 - lon1) * rad;
    var h = Math.sin(dLat / 2) * Math.sin(dLat / 2) +
      Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLon / 2) * Math.sin(dLon / 2);
    return 2 * earth * Math.asin(Math.min(1, Math.sqrt(h)));
  }
  if (!("geolocation" in navigator)) {
    status.textContent = texts.dataset.unsupported;
    return;
  }
  navigator.geolocation.getCurrentPosition(
    function (position) {
      var c = position.coords;
      form.elements.latitude.value = c.latitude.toFixed(6);
      form.elements.longitude.value = c.longitude.toFixed(6);
      form.elements.accuracy.value = Math.round(c.accuracy || 0);
      var text = format(texts.dataset.position, { accuracy: Math.round(c.accuracy || 0) });
      if (customer.lat !== null && customer.lon !== null) {
        var metres = Math.round(estimate(c.latitude, c.longitude, customer.lat, customer.lon));
        text += " " + format(texts.dataset.distance, { metres: metres });
        if (metres > customer.far) {
          text += " " + format(texts.dataset.far, { far: customer.far });
          status.parentElement.classList.replace("alert-light", "alert-warning");
        }
      }
      status.textContent = text;
      status.dataset.state = "found";
    },
    function () {
      form.elements.latitude.value = "";
      form.elements.longitude.value = "";
      form.elements.accuracy.value = "";
      status.textContent = texts.dataset.noPosition;
      status.dataset.state = "none";
    },
    { enableHighAccuracy: true, timeout: 20000, maximumAge: 30000 }
  );
})();
