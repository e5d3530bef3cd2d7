// journey serve: reloads the page when the site is rebuilt.
//
// Served by `journey serve` only, from its own origin; the pages `journey build`
// writes carry no script. The page's version is the `data-version` of this
// script's own tag; the server answers `/__journey/version` with the current one,
// and `/__journey/version?since=V` when the current one is not V (or after 20 s).
(function () {
  "use strict";
  var me = document.currentScript;
  var shown = me ? me.getAttribute("data-version") : null;
  var root = document.documentElement;
  var failures = 0;
  var timer = null;
  var asking = false;

  // An answer held at least this long was held by the server until its time ran
  // out (it holds a request for the next version for 20 s); one sooner was not held.
  var HELD_MS = 1000;

  function later() {
    // A visible tab that the server would not hold (it holds only so many) asks
    // about three times a second; a hidden tab, or a server that is gone, less often.
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
    // A visible tab asks for the version after its own, and the server answers when
    // there is one: the page reloads as soon as a rebuild is served. A hidden tab
    // holds no connection (browsers open only six to a server): it asks now and then.
    var hold = !document.hidden && shown !== null;
    var query = hold ? "?since=" + encodeURIComponent(shown) : "";
    var asked = Date.now();
    fetch("/__journey/version" + query, { cache: "no-store", credentials: "omit" })
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
        if (hold && Date.now() - asked >= HELD_MS) {
          poll();
        } else {
          later();
        }
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
