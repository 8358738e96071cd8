// The progress diagram (.svg-wrap): scrolled so that the current step is in view, and zoomed with the buttons
// beside it, the + − 0 keys while it has the focus, or two fingers (pinch). 100% is the diagram's drawn size; "适合
// 宽度" is the size the page first gives it. The level is announced ("缩放 120%").
(function () {
  "use strict";
  var MIN = 0.3;
  var MAX = 3;
  var STEP = 1.25;

  document.querySelectorAll(".svg-wrap").forEach(function (wrap) {
    var svg = wrap.querySelector("svg");
    if (!svg) {
      return;
    }
    var natural = parseFloat(svg.getAttribute("width")) || svg.getBoundingClientRect().width;
    var fit = svg.getBoundingClientRect().width / natural;
    var zoom = fit;
    var before = wrap.previousElementSibling; // the buttons stand just before the diagram they zoom (a called
    var controls = before && before.classList.contains("zoom-controls") ? before : null; // process's has none)
    var level = controls && controls.querySelector(".zoom-level");

    function setZoom(value, announce) {
      var before = zoom;
      var centreX = (wrap.scrollLeft + wrap.clientWidth / 2) / (natural * before);
      zoom = Math.max(MIN, Math.min(MAX, value));
      svg.style.minWidth = "0";
      svg.style.maxWidth = "none";
      svg.style.width = Math.round(natural * zoom) + "px";
      wrap.scrollLeft = centreX * natural * zoom - wrap.clientWidth / 2; // the middle of the view stays in the middle
      if (level && announce) {
        level.textContent = level.getAttribute("data-format").replace("{n}", Math.round(zoom * 100));
      }
    }

    if (controls) {
      controls.hidden = false;
      controls.addEventListener("click", function (event) {
        var button = event.target.closest("[data-zoom]");
        var how = button && button.getAttribute("data-zoom");
        if (how) {
          setZoom(how === "in" ? zoom * STEP : how === "out" ? zoom / STEP : fit, true);
        }
      });
    }
    wrap.addEventListener("keydown", function (event) {
      var keys = { "+": zoom * STEP, "=": zoom * STEP, "-": zoom / STEP, "0": fit };
      if (event.key in keys && !event.ctrlKey && !event.metaKey) {
        setZoom(keys[event.key], true);
        event.preventDefault();
      }
    });

    // Pinch: two fingers on the diagram zoom it by how far apart they move; one finger still scrolls.
    var fingers = {};
    var pinch = null;
    function spread() {
      var p = Object.keys(fingers).map(function (k) { return fingers[k]; });
      return Math.hypot(p[0].x - p[1].x, p[0].y - p[1].y) || 1;
    }
    wrap.addEventListener("pointerdown", function (event) {
      if (event.pointerType !== "touch") {
        return;
      }
      fingers[event.pointerId] = { x: event.clientX, y: event.clientY };
      if (Object.keys(fingers).length === 2) {
        pinch = { spread: spread(), zoom: zoom };
      }
    });
    wrap.addEventListener("pointermove", function (event) {
      if (!(event.pointerId in fingers)) {
        return;
      }
      fingers[event.pointerId] = { x: event.clientX, y: event.clientY };
      if (pinch && Object.keys(fingers).length === 2) {
        setZoom(pinch.zoom * spread() / pinch.spread, false);
      }
    });
    ["pointerup", "pointercancel"].forEach(function (type) {
      wrap.addEventListener(type, function (event) {
        delete fingers[event.pointerId];
        if (pinch && Object.keys(fingers).length < 2) {
          pinch = null;
          setZoom(zoom, true); // said once the fingers lift, not at every move
        }
      });
    });

    var step = wrap.querySelector(".current");
    if (step && wrap.scrollWidth > wrap.clientWidth) {
      var box = step.getBoundingClientRect();
      var frame = wrap.getBoundingClientRect();
      wrap.scrollLeft += box.left - frame.left - (wrap.clientWidth - box.width) / 2;
    }
  });
})();
