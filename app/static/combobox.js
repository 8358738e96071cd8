// <div class="combobox" data-combobox="url">: an organisation field's search box (WAI-ARIA 1.2 combobox with a
// listbox popup). Typing asks the server for up to 20 matches (url?q=…) instead of the page carrying 5,000 firms;
// ↓ ↑ move through them (aria-activedescendant), Enter or a tap chooses, Esc closes; the status line says how many
// were found. The chosen id goes in the hidden input (posted and autosaved); typing again clears it.
(function () {
  "use strict";

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_, key) {
      return values[key];
    });
  }

  document.querySelectorAll("div[data-combobox]").forEach(function (box) {
    var url = box.getAttribute("data-combobox");
    var input = box.querySelector("[role=combobox]");
    var hidden = box.querySelector("[data-combobox-value]");
    var list = box.querySelector("[role=listbox]");
    var status = box.querySelector("[role=status]");
    var timer = null;
    var asked = null; // the AbortController of the answer awaited
    var active = -1;

    function options() {
      return list.querySelectorAll("[role=option]");
    }

    function open(show) {
      list.hidden = !show;
      input.setAttribute("aria-expanded", show ? "true" : "false");
      if (!show) {
        highlight(-1);
      }
    }

    function highlight(i) {
      var all = options();
      active = i;
      Array.prototype.forEach.call(all, function (o, k) {
        o.setAttribute("aria-selected", k === i ? "true" : "false");
      });
      if (i >= 0 && all[i]) {
        input.setAttribute("aria-activedescendant", all[i].id);
        all[i].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function show(found, query) {
      list.textContent = "";
      found.results.forEach(function (org, k) {
        var li = document.createElement("li");
        li.id = input.id + "-option-" + k;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        li.setAttribute("data-id", org.id);
        li.setAttribute("data-name", org.name);
        li.appendChild(document.createTextNode(org.name));
        if (org.credit_code) {
          var code = document.createElement("span");
          code.className = "combobox-code";
          code.textContent = org.credit_code;
          li.appendChild(code);
        }
        list.appendChild(li);
      });
      var n = found.results.length;
      status.textContent = n === 0
        ? fill(box.getAttribute("data-none-text"), { q: query })
        : fill(box.getAttribute(found.more ? "data-more-text" : "data-count-text"), { n: n });
      open(n > 0);
    }

    function search() {
      clearTimeout(timer);
      if (asked) {
        asked.abort();
      }
      var query = input.value.trim();
      asked = window.AbortController ? new AbortController() : null;
      fetch(url + "?q=" + encodeURIComponent(query), {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
        signal: asked ? asked.signal : undefined,
      })
        .then(function (response) {
          return response.ok ? response.json() : Promise.reject(response.status);
        })
        .then(function (found) {
          show(found, query);
        })
        .catch(function (err) {
          if (!err || err.name !== "AbortError") {
            status.textContent = box.getAttribute("data-failed-text");
          }
        });
    }

    function choose(option) {
      input.value = option.getAttribute("data-name");
      hidden.value = option.getAttribute("data-id");
      status.textContent = fill(box.getAttribute("data-chosen-text"), { name: input.value });
      open(false);
      hidden.dispatchEvent(new Event("change", { bubbles: true })); // the draft saves it (autosave.js)
    }

    input.addEventListener("input", function () {
      if (hidden.value) {
        hidden.value = ""; // the text no longer names the chosen organisation
        hidden.dispatchEvent(new Event("change", { bubbles: true }));
      }
      clearTimeout(timer);
      timer = setTimeout(search, 250);
    });

    input.addEventListener("keydown", function (event) {
      var all = options();
      var expanded = !list.hidden;
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        if (!expanded) {
          if (all.length) {
            open(true);
            highlight(event.key === "ArrowDown" ? 0 : all.length - 1);
          } else {
            search();
          }
          return;
        }
        var step = event.key === "ArrowDown" ? 1 : -1;
        highlight((active + step + all.length) % all.length);
      } else if (event.key === "Enter" && expanded && active >= 0) {
        event.preventDefault(); // chooses; the form is not sent
        choose(all[active]);
      } else if (event.key === "Escape" && expanded) {
        event.preventDefault();
        open(false);
      }
    });

    // a tap or click chooses; pressing first keeps the focus in the text box
    list.addEventListener("mousedown", function (event) {
      event.preventDefault();
    });
    list.addEventListener("click", function (event) {
      var option = event.target.closest("[role=option]");
      if (option) {
        choose(option);
        input.focus();
      }
    });
    input.addEventListener("blur", function () {
      open(false);
    });
  });
})();
