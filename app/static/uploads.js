// Phone photos bigger than an upload slot takes are scaled down and re-encoded as JPEG in the browser before they
// are sent (<input type=file data-max-bytes=N>; R-INFO-1's 1 MB for core filings). The server still checks and
// refuses every file it receives; this only spares people a refusal for a photo straight from the camera.
(function () {
  "use strict";
  var MAX_SIDE = 2400; // pixels on the longer side: a readable A4 scan, well past a certificate photo

  function encode(bitmap, scale, quality, maxBytes, name) {
    var canvas = document.createElement("canvas");
    canvas.width = Math.max(1, Math.round(bitmap.width * scale));
    canvas.height = Math.max(1, Math.round(bitmap.height * scale));
    var ctx = canvas.getContext("2d");
    ctx.fillStyle = "#fff"; // a transparent PNG turns white, not black
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    return new Promise(function (resolve) {
      canvas.toBlob(resolve, "image/jpeg", quality);
    }).then(function (blob) {
      if (!blob) {
        return null;
      }
      if (blob.size <= maxBytes || scale < 0.05) {
        return new File([blob], name.replace(/\.[^.]*$/, "") + ".jpg", { type: "image/jpeg" });
      }
      return quality > 0.6
        ? encode(bitmap, scale, quality - 0.1, maxBytes, name)
        : encode(bitmap, scale * 0.75, 0.85, maxBytes, name);
    });
  }

  function shrink(file, maxBytes) {
    if (!/^image\/(jpeg|png)$/.test(file.type) || file.size <= maxBytes) {
      return Promise.resolve(file);
    }
    return createImageBitmap(file, { imageOrientation: "from-image" })
      .then(function (bitmap) {
        var scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
        return encode(bitmap, scale, 0.85, maxBytes, file.name);
      })
      .then(function (smaller) {
        return smaller || file;
      })
      .catch(function () {
        return file; // unreadable here: the server says why
      });
  }

  function setBusy(form, busy) {
    if (!form) {
      return;
    }
    form.setAttribute("aria-busy", busy ? "true" : "false");
    form.querySelectorAll("button").forEach(function (b) {
      b.disabled = busy;
    });
  }

  document.addEventListener("change", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches("input[type=file][data-max-bytes]") || !input.files.length) {
      return;
    }
    if (typeof DataTransfer === "undefined" || typeof createImageBitmap === "undefined") {
      return;
    }
    var maxBytes = parseInt(input.getAttribute("data-max-bytes"), 10);
    var originals = Array.prototype.slice.call(input.files);
    setBusy(input.form, true);
    Promise.all(originals.map(function (f) { return shrink(f, maxBytes); })).then(function (files) {
      setBusy(input.form, false);
      if (files.every(function (f, i) { return f === originals[i]; })) {
        return;
      }
      var list = new DataTransfer();
      files.forEach(function (f) { list.items.add(f); });
      input.files = list.files;
      var note = input.getAttribute("data-shrunk-note");
      var status = input.closest("fieldset, form").querySelector(".upload-status");
      if (note && status) {
        status.textContent = note;
      }
    });
  });
})();
