// The "today" page: ask the phone's position once and reload the route from it (?lat=&lon=).
// Refused or unavailable: the route stays from the start point and the page says so.
(function () {
  "use strict";
  var marker = document.getElementById("today-position");
  if (!marker) {
    return;
  }
  var refused = document.getElementById("position-refused");
  var asking = document.getElementById("position-asking");
  var KEY = "dealercrm-visits-position";
  function showRefused() {
    if (refused && document.getElementById("route-start").dataset.source !== "phone") {
      refused.classList.remove("d-none");
    }
  }
  if (marker.dataset.asked) {
    return; // the order already comes from the phone's position
  }
  if (!("geolocation" in navigator)) {
    showRefused();
    return;
  }
  if (window.sessionStorage && sessionStorage.getItem(KEY) === "refused") {
    showRefused();
    return;
  }
  if (asking) {
    asking.classList.remove("d-none");
  }
  navigator.geolocation.getCurrentPosition(
    function (position) {
      var url = new URL(window.location.href);
      url.searchParams.set("lat", position.coords.latitude.toFixed(6));
      url.searchParams.set("lon", position.coords.longitude.toFixed(6));
      window.location.replace(url.toString());
    },
    function () {
      if (window.sessionStorage) {
        sessionStorage.setItem(KEY, "refused");
      }
      if (asking) {
        asking.classList.add("d-none");
      }
      showRefused();
    },
    { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 }
  );
})();
