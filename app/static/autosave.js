// <form data-autosave="url">: the person's draft saves itself (R-JOIN-6). What was typed is sent 3 s after typing
// stops and when the page is left; files are sent as soon as they are chosen and made ready (uploads.js fires
// "files-ready"), so that leaving and coming back keeps them, and the kept files' list is swapped in from the answer.
// Saves go one at a time, so a later one never overwrites the files an earlier one kept. The status line says when
// ("已自动保存 hh:mm"). The kept files can be put in page order by touch (drag ⠿) or with ↑ ↓ (R-JOIN-5).
(function () {
  "use strict";

  function setBusy(form, busy) {
    form.setAttribute("aria-busy", busy ? "true" : "false");
    form.querySelectorAll("button").forEach(function (b) {
      b.disabled = busy;
    });
  }

  document.querySelectorAll("form[data-autosave]").forEach(function (form) {
    var url = form.getAttribute("data-autosave");
    var status = form.querySelector(".autosave-status");
    var timer = null;
    var dirty = false;
    var queue = Promise.resolve();

    function fields() {
      var data = new FormData(form);
      form.querySelectorAll("input[type=file]").forEach(function (input) {
        data.delete(input.name);
      });
      data.delete("action");
      return data;
    }

    function send(data) {
      queue = queue.then(function () {
        return fetch(url, { method: "POST", body: data, credentials: "same-origin" }).then(function (response) {
          return response.ok ? response.json() : Promise.reject(response.status);
        });
      });
      return queue.then(function (saved) {
        if (status) {
          status.textContent = form.getAttribute("data-saved-text") + " " + saved.saved_at;
        }
        return saved;
      });
    }

    function save(leaving) {
      clearTimeout(timer);
      if (!dirty) {
        return;
      }
      dirty = false;
      if (leaving && navigator.sendBeacon) {
        keepLeft();
        navigator.sendBeacon(url, fields());
        return;
      }
      send(fields()).catch(function () {
        dirty = true; // tried again after the next change or when leaving
        queue = Promise.resolve();
      });
    }

    function changed() {
      dirty = true;
      clearTimeout(timer);
      timer = setTimeout(save, 3000);
    }

    // What the save sent on leaving held, kept in this tab for a minute: coming back before that save has landed
    // (the beacon is not waited for), the page shows the older draft, and its next autosave would overwrite the
    // newer one; so the fields take what was left, and the draft is saved again.
    var leftKey = "memberflow-left:" + url;

    function keepLeft() {
      var values = {};
      Array.prototype.forEach.call(form.elements, function (el) {
        var hidden = el.type === "hidden" && !el.hasAttribute("data-combobox-value"); // a chosen firm is kept
        if (!el.name || el.type === "file" || hidden || el.type === "submit" || el.tagName === "BUTTON") {
          return;
        }
        if (el.type === "checkbox") {
          values[el.name] = el.checked;
        } else if (el.type === "radio") {
          if (el.checked) {
            values[el.name] = el.value;
          }
        } else {
          values[el.name] = el.value;
        }
      });
      try {
        sessionStorage.setItem(leftKey, JSON.stringify({ at: Date.now(), values: values }));
      } catch (e) { /* storage full or off: the beacon alone */ }
    }

    function takeLeft() {
      var left = null;
      try {
        left = JSON.parse(sessionStorage.getItem(leftKey) || "null");
        sessionStorage.removeItem(leftKey);
      } catch (e) {
        return;
      }
      if (!left || Date.now() - left.at > 60000) {
        return;
      }
      var changes = 0;
      Object.keys(left.values).forEach(function (name) {
        Array.prototype.forEach.call(form.elements.namedItem(name) ? form.querySelectorAll('[name="' + name + '"]') : [], function (el) {
          var value = left.values[name];
          if (el.type === "checkbox" && el.checked !== value) {
            el.checked = value;
            changes++;
          } else if (el.type === "radio" && !el.disabled && el.checked !== (el.value === value)) {
            el.checked = el.value === value;
            changes++;
          } else if (el.type !== "checkbox" && el.type !== "radio" && el.value !== value) {
            el.value = value;
            changes++;
          }
        });
      });
      if (changes) {
        changed();
      }
    }

    form.addEventListener("input", function (event) {
      if (event.target.type !== "file") {
        changed();
      }
    });
    form.addEventListener("change", function (event) {
      if (event.target.type !== "file") {
        changed();
      }
    });
    form.addEventListener("moved", changed);

    // Chosen files: saved with the draft at once; the input is emptied only once they are kept, so a failed save
    // leaves them to go with the form when it is sent.
    form.addEventListener("files-ready", function (event) {
      var input = event.target;
      var data = fields();
      Array.prototype.forEach.call(input.files, function (f) {
        data.append(input.name, f);
      });
      clearTimeout(timer);
      dirty = false;
      setBusy(form, true);
      var box = input.closest("fieldset");
      var note = box && box.querySelector(".upload-status");
      send(data)
        .then(function (saved) {
          input.value = "";
          Object.keys(saved.files).forEach(function (name) {
            var list = document.getElementById("f-" + name + "-files");
            if (list) {
              list.outerHTML = saved.files[name];
              wire(document.getElementById("f-" + name + "-files"));
            }
          });
          var refused = saved.errors[input.name];
          if (note && (refused || note.classList.contains("refused"))) { // a refused file is named; the others kept
            note.textContent = refused || "";
            note.classList.toggle("refused", Boolean(refused));
          }
        })
        .catch(function () {
          dirty = true;
          queue = Promise.resolve();
        })
        .then(function () {
          setBusy(form, false);
        });
    });

    form.addEventListener("submit", function () {
      clearTimeout(timer);
      dirty = false;
    });
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden") {
        save(true);
      }
    });
    window.addEventListener("pagehide", function () {
      save(true);
    });
    form.querySelectorAll("ol[data-reorder]").forEach(wire);
    takeLeft();
  });

  // Page order of the kept files: each <li> carries its file id in a hidden `<name>__order` input, so moving the
  // <li> is all it takes; "moved" asks for a save. ↑ ↓ for keyboards, the ⠿ handle for touch and mouse.
  function wire(list) {
    if (!list) {
      return;
    }
    var status = list.closest("fieldset").querySelector(".upload-status");
    list.querySelectorAll("[data-move], [data-drag]").forEach(function (b) {
      b.hidden = false;
    });

    function moved(item, focus) {
      var items = Array.prototype.slice.call(list.children);
      if (status) {
        status.textContent = list.getAttribute("data-moved-text")
          .replace("{n}", items.indexOf(item) + 1).replace("{total}", items.length);
      }
      if (focus) {
        focus.focus();
      }
      list.dispatchEvent(new CustomEvent("moved", { bubbles: true }));
    }

    list.addEventListener("click", function (event) {
      var button = event.target.closest("[data-move]");
      if (!button) {
        return;
      }
      var item = button.closest("li");
      var up = button.getAttribute("data-move") === "-1";
      var other = up ? item.previousElementSibling : item.nextElementSibling;
      if (!other) {
        return;
      }
      list.insertBefore(item, up ? other : other.nextElementSibling);
      moved(item, button);
    });

    var dragging = null;
    list.addEventListener("pointerdown", function (event) {
      var handle = event.target.closest("[data-drag]");
      if (!handle) {
        return;
      }
      dragging = handle.closest("li");
      dragging.classList.add("dragging");
      handle.setPointerCapture(event.pointerId);
      event.preventDefault();
    });
    list.addEventListener("pointermove", function (event) {
      if (!dragging) {
        return;
      }
      // the item under the finger: the dragged one goes before it, or after it past its middle
      var over = Array.prototype.find.call(list.children, function (li) {
        var box = li.getBoundingClientRect();
        return li !== dragging && event.clientX >= box.left && event.clientX <= box.right &&
          event.clientY >= box.top && event.clientY <= box.bottom;
      });
      if (over) {
        var box = over.getBoundingClientRect();
        var after = event.clientX > box.left + box.width / 2;
        list.insertBefore(dragging, after ? over.nextElementSibling : over);
      }
    });
    ["pointerup", "pointercancel"].forEach(function (type) {
      list.addEventListener(type, function () {
        if (dragging) {
          var item = dragging;
          dragging = null;
          item.classList.remove("dragging");
          moved(item, null);
        }
      });
    });
  }
})();
