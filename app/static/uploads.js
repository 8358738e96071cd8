// Files chosen in an <input type=file> are made ready in the browser before they are sent: an <input data-crop> (core
// filings) first offers the crop step (crop.js), then phone photos bigger than the slot takes are scaled down and
// re-encoded as JPEG (data-max-bytes=N; R-INFO-1's 1 MB for core filings). The server still checks and refuses every
// file it receives; this only spares people a refusal for a photo straight from the camera. When the files are ready
// the input fires "files-ready" (autosave.js keeps them with the draft).
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

  function ready(input) {
    input.dispatchEvent(new CustomEvent("files-ready", { bubbles: true }));
  }

  document.addEventListener("change", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches("input[type=file]") || !input.files.length) {
      return;
    }
    var canSwap = typeof DataTransfer !== "undefined" && typeof createImageBitmap !== "undefined";
    var crop = canSwap && input.hasAttribute("data-crop") && window.memberflowCrop;
    var maxBytes = canSwap ? parseInt(input.getAttribute("data-max-bytes") || "0", 10) : 0;
    if (!crop && !maxBytes) {
      ready(input);
      return;
    }
    var originals = Array.prototype.slice.call(input.files);
    var files = [];
    var shrunk = false;
    setBusy(input.form, true);
    originals
      .reduce(function (done, file) {
        return done.then(function () { // one after another: each image gets its own crop dialog
          var step = crop && /^image\//.test(file.type) ? crop(file) : Promise.resolve(file);
          return step.then(function (chosen) {
            if (!chosen) {
              return; // the crop was cancelled: this file is left out
            }
            return (maxBytes ? shrink(chosen, maxBytes) : Promise.resolve(chosen)).then(function (small) {
              shrunk = shrunk || small !== chosen;
              files.push(small);
            });
          });
        });
      }, Promise.resolve())
      .then(function () {
        setBusy(input.form, false);
        if (!files.length) {
          input.value = "";
          return;
        }
        if (files.some(function (f, i) { return f !== originals[i]; }) || files.length !== originals.length) {
          var list = new DataTransfer();
          files.forEach(function (f) { list.items.add(f); });
          input.files = list.files;
        }
        var note = input.getAttribute("data-shrunk-note");
        var status = input.closest("fieldset, form").querySelector(".upload-status");
        if (shrunk && note && status) {
          status.textContent = note;
        }
        ready(input);
      });
  });
})();
