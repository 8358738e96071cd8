// The crop step for core filings (裁切, the manual's 核心信息变更 rule 12): an image chosen in an <input data-crop> is
// shown in a dialog with a frame the person moves and sizes by dragging (mouse or touch), with the buttons, or with
// the arrow keys (Shift: larger steps) and + −. window.memberflowCrop(file) resolves to the cropped file, the file as
// it was ("不裁切"), or null (cancelled). The dialog's markup and words come from the page (<template class=crop-dialog>).
(function () {
  "use strict";
  var MAX_SIDE = 2400; // as uploads.js: no cropped image larger than a readable A4 scan
  var HANDLE = 22; // CSS pixels around a corner that grab it: a fingertip

  function clamp(v, lo, hi) {
    return Math.max(lo, Math.min(hi, v));
  }

  function open(file) {
    var template = document.querySelector("template.crop-dialog");
    if (!template || typeof HTMLDialogElement === "undefined" || typeof createImageBitmap === "undefined") {
      return Promise.resolve(file);
    }
    return createImageBitmap(file, { imageOrientation: "from-image" }).then(
      function (bitmap) {
        return run(template, bitmap, file);
      },
      function () {
        return file; // not an image this browser reads: the server says why
      }
    );
  }

  function run(template, bitmap, file) {
    var dialog = template.content.firstElementChild.cloneNode(true);
    document.body.appendChild(dialog);
    var canvas = dialog.querySelector("canvas");
    var now = dialog.querySelector(".crop-now");
    var W = bitmap.width;
    var H = bitmap.height;
    var minSide = Math.max(8, Math.round(Math.min(W, H) * 0.05));
    var frame = { x: Math.round(W * 0.05), y: Math.round(H * 0.05), w: Math.round(W * 0.9), h: Math.round(H * 0.9) };
    var scale = 1;

    function layout() {
      var room = Math.min(dialog.clientWidth - 32, 640);
      scale = Math.min(room / W, (window.innerHeight * 0.5) / H, 1);
      canvas.width = Math.max(1, Math.round(W * scale));
      canvas.height = Math.max(1, Math.round(H * scale));
      draw();
    }

    function draw() {
      var ctx = canvas.getContext("2d");
      var f = { x: frame.x * scale, y: frame.y * scale, w: frame.w * scale, h: frame.h * scale };
      ctx.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      ctx.fillStyle = "rgba(0,0,0,.55)"; // what is cut away, darkened
      ctx.fillRect(0, 0, canvas.width, f.y);
      ctx.fillRect(0, f.y + f.h, canvas.width, canvas.height - f.y - f.h);
      ctx.fillRect(0, f.y, f.x, f.h);
      ctx.fillRect(f.x + f.w, f.y, canvas.width - f.x - f.w, f.h);
      ctx.strokeStyle = "#f59e0b";
      ctx.lineWidth = 2;
      ctx.strokeRect(f.x, f.y, f.w, f.h);
      ctx.fillStyle = "#f59e0b";
      [[f.x, f.y], [f.x + f.w, f.y], [f.x, f.y + f.h], [f.x + f.w, f.y + f.h]].forEach(function (c) {
        ctx.fillRect(c[0] - 6, c[1] - 6, 12, 12);
      });
      now.textContent = now.getAttribute("data-format")
        .replace("{w}", frame.w).replace("{h}", frame.h).replace("{x}", frame.x).replace("{y}", frame.y);
    }

    function set(x, y, w, h) {
      w = clamp(Math.round(w), minSide, W);
      h = clamp(Math.round(h), minSide, H);
      frame = { x: clamp(Math.round(x), 0, W - w), y: clamp(Math.round(y), 0, H - h), w: w, h: h };
      draw();
    }

    function key(name, big) {
      var step = big ? 0.1 : 0.02;
      var dx = Math.round(W * step);
      var dy = Math.round(H * step);
      var moves = { ArrowLeft: [-dx, 0], ArrowRight: [dx, 0], ArrowUp: [0, -dy], ArrowDown: [0, dy] };
      if (moves[name]) {
        set(frame.x + moves[name][0], frame.y + moves[name][1], frame.w, frame.h);
      } else if (name === "+" || name === "=" || name === "-") {
        var k = name === "-" ? 0.9 : 1 / 0.9; // about the frame's centre
        var w = clamp(frame.w * k, minSide, W);
        var h = clamp(frame.h * k, minSide, H);
        set(frame.x + (frame.w - w) / 2, frame.y + (frame.h - h) / 2, w, h);
      } else {
        return false;
      }
      return true;
    }

    // Dragging: inside the frame moves it, a corner sizes it (the opposite corner stays put).
    var drag = null;
    function at(event) {
      var box = canvas.getBoundingClientRect();
      return { x: (event.clientX - box.left) / scale, y: (event.clientY - box.top) / scale };
    }
    canvas.addEventListener("pointerdown", function (event) {
      var p = at(event);
      var reach = HANDLE / scale;
      var corner = null;
      [[0, 0], [1, 0], [0, 1], [1, 1]].forEach(function (c) {
        if (Math.abs(p.x - (frame.x + c[0] * frame.w)) < reach && Math.abs(p.y - (frame.y + c[1] * frame.h)) < reach) {
          corner = c;
        }
      });
      var inside = p.x > frame.x && p.x < frame.x + frame.w && p.y > frame.y && p.y < frame.y + frame.h;
      if (!corner && !inside) {
        return;
      }
      drag = { start: p, was: frame, corner: corner };
      canvas.setPointerCapture(event.pointerId);
      event.preventDefault();
    });
    canvas.addEventListener("pointermove", function (event) {
      if (!drag) {
        return;
      }
      var p = at(event);
      var dx = p.x - drag.start.x;
      var dy = p.y - drag.start.y;
      var was = drag.was;
      if (!drag.corner) {
        set(was.x + dx, was.y + dy, was.w, was.h);
        return;
      }
      var left = drag.corner[0] ? was.x : clamp(was.x + dx, 0, was.x + was.w - minSide);
      var top = drag.corner[1] ? was.y : clamp(was.y + dy, 0, was.y + was.h - minSide);
      var right = drag.corner[0] ? clamp(was.x + was.w + dx, was.x + minSide, W) : was.x + was.w;
      var bottom = drag.corner[1] ? clamp(was.y + was.h + dy, was.y + minSide, H) : was.y + was.h;
      set(left, top, right - left, bottom - top);
    });
    ["pointerup", "pointercancel"].forEach(function (type) {
      canvas.addEventListener(type, function () {
        drag = null;
      });
    });
    canvas.addEventListener("keydown", function (event) {
      if (key(event.key, event.shiftKey)) {
        event.preventDefault();
      }
    });
    dialog.querySelectorAll("[data-crop-key]").forEach(function (button) {
      button.addEventListener("click", function () {
        key(button.getAttribute("data-crop-key"), false);
      });
    });

    function cropped() {
      var k = Math.min(1, MAX_SIDE / Math.max(frame.w, frame.h));
      var out = document.createElement("canvas");
      out.width = Math.max(1, Math.round(frame.w * k));
      out.height = Math.max(1, Math.round(frame.h * k));
      var ctx = out.getContext("2d");
      ctx.fillStyle = "#fff";
      ctx.fillRect(0, 0, out.width, out.height);
      ctx.drawImage(bitmap, frame.x, frame.y, frame.w, frame.h, 0, 0, out.width, out.height);
      var type = file.type === "image/png" ? "image/png" : "image/jpeg";
      return new Promise(function (resolve) {
        out.toBlob(resolve, type, 0.92);
      }).then(function (blob) {
        return blob ? new File([blob], file.name, { type: type }) : file;
      });
    }

    return new Promise(function (resolve) {
      function finish(result) {
        dialog.close();
        dialog.remove();
        resolve(result);
      }
      dialog.querySelector("[data-crop-done]").addEventListener("click", function () {
        cropped().then(finish);
      });
      dialog.querySelector("[data-crop-whole]").addEventListener("click", function () {
        finish(file);
      });
      dialog.querySelector("[data-crop-cancel]").addEventListener("click", function () {
        finish(null);
      });
      dialog.addEventListener("cancel", function (event) {
        event.preventDefault(); // Escape: as 取消, through one path
        finish(null);
      });
      dialog.showModal();
      layout();
      canvas.focus();
    });
  }

  // One dialog at a time, in the order the files were chosen (photo, then signature …).
  var line = Promise.resolve();
  window.memberflowCrop = function (file) {
    var turn = line.then(function () {
      return open(file);
    });
    line = turn.catch(function () {});
    return turn;
  };
})();
