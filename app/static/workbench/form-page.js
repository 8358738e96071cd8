// The form editor page (/workbench/edit/form/<file>): one of the form's two JSON files in a text area, previewed
// by the server's form kit together with the other file's current text; saving and publishing through
// editor-api.js (issue 17).
(function () {
  "use strict";

  var text = document.getElementById("wb-text"), other = document.getElementById("wb-other");
  var preview = document.getElementById("wb-preview"), error = document.getElementById("wb-preview-error");
  var box = document.querySelector(".wb-form"), part = box.dataset.part;
  var csrf = document.querySelector('meta[name="csrf-token"]').content, timer = null;

  function load(content) {
    text.value = content;
    return fetch(box.dataset.otherApi, { credentials: "same-origin" }).then(function (res) { return res.json(); })
      .then(function (file) {
        other.textContent = file.draft ? file.draft.content : file.live ? file.live.content : "";
        return refresh();
      });
  }

  function refresh() {
    var texts = part === "ui" ? { schema: other.textContent, ui: text.value } : { schema: text.value, ui: other.textContent };
    return fetch(box.dataset.preview, { method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf }, body: JSON.stringify(texts) })
      .then(function (res) { return res.json(); })
      .then(function (out) {
        error.hidden = !out.problems;
        if (out.problems) {
          error.textContent = out.problems.map(function (p) {
            return p.file + (p.line ? ":" + p.line : "") + " " + p.message;
          }).join("\n");
          return;
        }
        // rendered (and escaped) by the server's form kit; a preview: its controls are disabled, it sends nothing
        var doc = new DOMParser().parseFromString(out.html, "text/html");
        preview.replaceChildren.apply(preview, Array.prototype.slice.call(doc.body.childNodes));
        preview.querySelectorAll("input, select, textarea, button").forEach(function (c) { c.disabled = true; });
      });
  }

  text.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(refresh, 400); });

  window.MemberflowEditor.connect({ load: load, content: function () { return text.value; } });
})();
