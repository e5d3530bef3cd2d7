// journey serve: reloads the page when the site is rebuilt.
//
// Served by `journey serve` only, from its own origin; the pages `journey build`
// writes carry no script. The page's version is the `data-version` of this
// script's own tag; the server answers `/__journey/version` with the current one.
(function () {
  "use strict";
  var me = document.currentScript;
  var shown = me ? me.getAttribute("data-version") : null;
  var root = document.documentElement;
  var failures = 0;
  var timer = null;
  var asking = false;

  function later() {
    // A visible tab asks about three times a second, which is what "within a
    // second of a save" needs; a hidden tab, or a server that is gone, less often.
    var delay = document.hidden ? 2000 : 300;
    if (failures > 0) {
      delay = Math.min(300 * Math.pow(2, failures), 5000);
    }
    clearTimeout(timer);
    timer = setTimeout(poll, delay);
  }

  function poll() {
    if (asking) {
      return;
    }
    asking = true;
    clearTimeout(timer);
    fetch("/__journey/version", { cache: "no-store", credentials: "omit" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("status " + response.status);
        }
        return response.text();
      })
      .then(function (version) {
        asking = false;
        failures = 0;
        root.setAttribute("data-journey-live", "connected");
        if (shown !== null && version !== shown) {
          location.reload();
          return;
        }
        later();
      })
      .catch(function () {
        asking = false;
        failures += 1;
        root.setAttribute("data-journey-live", "disconnected");
        later();
      });
  }

  document.addEventListener("visibilitychange", function () {
    if (!document.hidden) {
      poll();
    }
  });
  poll();
})();
