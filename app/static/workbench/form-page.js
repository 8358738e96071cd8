// The form editor page (/workbench/edit/form/<name>): the form's two JSON files in text areas, previewed by the
// server's form kit as applicants will see it; saving and publishing through editor-api.js (issue 17).
(function () {
  "use strict";

  var schema = document.getElementById("wb-schema"), ui = document.getElementById("wb-ui");
  var preview = document.getElementById("wb-preview"), error = document.getElementById("wb-preview-error");
  var url = document.querySelector(".wb-form").dataset.preview;
  var csrf = document.querySelector('meta[name="csrf-token"]').content, timer = null;

  // A form's content in the file API: {"schema": text of <name>.json, "ui": text of <name>.ui.json}.
  function load(content) {
    var both = typeof content === "string" ? JSON.parse(content) : content;
    schema.value = both.schema;
    ui.value = both.ui;
    return refresh();
  }

  function content() { return JSON.stringify({ schema: schema.value, ui: ui.value }); }

  function refresh() {
    return fetch(url, { method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify({ schema: schema.value, ui: ui.value }) })
      .then(function (res) { return res.json(); })
      .then(function (out) {
        error.hidden = !out.problems;
        if (out.problems) {
          error.textContent = out.problems.map(function (p) {
            return p.file + (p.line ? ":" + p.line : "") + " " + p.message;
          }).join("\n");
          return;
        }
        // the server's form kit rendered it (escaped there); a preview, so nothing in it is sent anywhere
        var doc = new DOMParser().parseFromString(out.html, "text/html");
        preview.replaceChildren.apply(preview, Array.prototype.slice.call(doc.body.childNodes));
        preview.querySelectorAll("input, select, textarea, button").forEach(function (c) { c.disabled = true; });
      });
  }

  function later() { clearTimeout(timer); timer = setTimeout(refresh, 400); }
  schema.addEventListener("input", later);
  ui.addEventListener("input", later);

  window.MemberflowEditor.connect({ load: load, content: content });
})();
