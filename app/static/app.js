// The pages' few behaviours, bound by data attributes: the Content-Security-Policy runs no inline script.
(function () {
  "use strict";

  // <form data-confirm="…">: ask before sending (withdraw, abandon).
  document.addEventListener("submit", function (event) {
    var message = event.target.getAttribute("data-confirm");
    if (message && !window.confirm(message)) {
      event.preventDefault();
    }
  });

  // <select data-autosubmit>: choosing sends the form (the identity switch; a <noscript> button stands in).
  document.addEventListener("change", function (event) {
    if (event.target.hasAttribute("data-autosubmit")) {
      event.target.form.submit();
    }
  });

  // <a data-back>: the previous page, as the browser's back button (without script: the link's own href).
  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a[data-back]") : null;
    if (link && window.history.length > 1) {
      event.preventDefault();
      window.history.back();
    }
  });

  // The header's menu button (narrow screens): shown only when this script runs, so without it the links stay open.
  document.querySelectorAll(".topbar .menu-toggle").forEach(function (button) {
    var bar = button.closest(".topbar");
    bar.classList.add("has-menu");
    button.hidden = false;
    button.addEventListener("click", function () {
      var open = bar.classList.toggle("open");
      button.setAttribute("aria-expanded", open ? "true" : "false");
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && bar.classList.contains("open")) {
        bar.classList.remove("open");
        button.setAttribute("aria-expanded", "false");
        button.focus();
      }
    });
  });

  // .error-summary (a refused form, formkit/form.html): the focus starts on it, and each link gives its field the
  // focus (a radio group's chosen or first usable radio), so the keyboard goes straight to what needs mending.
  var summary = document.querySelector(".error-summary");
  if (summary) {
    summary.focus();
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      var target = link && document.getElementById(link.getAttribute("href").slice(1));
      if (!target) {
        return;
      }
      var field = target.matches("input, select, textarea")
        ? target
        : target.querySelector("input:checked:not([disabled])") || target.querySelector("input:not([disabled]), select, textarea");
      if (field) {
        event.preventDefault();
        field.focus();
        field.scrollIntoView({ block: "center" });
      }
    });
  }

  // <details class="filter-panel">: open as the page comes (without this script too), folded on a phone unless a
  // filter is in use (data-active), so that the list, not the filters, fills the first screen.
  document.querySelectorAll("details.filter-panel:not([data-active])").forEach(function (panel) {
    if (window.matchMedia("(max-width: 640px)").matches) {
      panel.open = false;
    }
  });

  // table.list: each cell carries its column's heading, shown beside it where the rows become cards (style.css).
  function labelCells(table) {
    var heads = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) {
      return th.textContent.trim();
    });
    table.querySelectorAll("tbody tr").forEach(function (row) {
      Array.prototype.forEach.call(row.children, function (cell, i) {
        if (heads[i] && cell.colSpan === 1) {
          cell.setAttribute("data-label", heads[i]);
        }
      });
    });
  }
  document.querySelectorAll("table.list").forEach(labelCells);

  // <form data-print-refresh>: a certificate print, whose PDF opens in another tab or downloads, so this page stays.
  // Its [data-prints] list (打印记录) is read again from the server until the new record shows (a few tries, waiting
  // longer each time), and the list's status line says so (role=status: screen readers announce it).
  document.addEventListener("submit", function (event) {
    var list = document.querySelector("[data-prints]");
    if (event.defaultPrevented || !event.target.hasAttribute("data-print-refresh") || !list) {
      return;
    }
    var before = list.querySelector("tbody").textContent;
    var status = list.querySelector("[role=status]");
    status.textContent = ""; // a second print is announced again
    var waits = [500, 1000, 2000, 4000, 8000];
    function refresh() {
      fetch(window.location.href, { credentials: "same-origin", headers: { Accept: "text/html" } })
        .then(function (response) {
          return response.ok ? response.text() : "";
        })
        .then(function (html) {
          var fresh = new DOMParser().parseFromString(html, "text/html").querySelector("[data-prints] tbody");
          var body = list.querySelector("tbody");
          if (fresh && fresh.textContent !== before) {
            body.innerHTML = fresh.innerHTML;
            labelCells(list.querySelector("table"));
            status.textContent = list.getAttribute("data-updated");
          } else if (waits.length) {
            window.setTimeout(refresh, waits.shift());
          }
        })
        .catch(function () {
          if (waits.length) {
            window.setTimeout(refresh, waits.shift());
          }
        });
    }
    window.setTimeout(refresh, waits.shift());
  });

  // <div class="field" data-required-when='[{"if": {field: [values]}, "then": true|false}]'>: a field the form's
  // if/then/else makes required (then: true) or required unless (then: false) others hold certain values — e.g.
  // 社保缴纳证明 unless 本人为退休返聘人员. Its `*` and aria-required follow those fields as they change, as the
  // server decides them when the form is sent (formkit/render.py draws the same state first).
  document.querySelectorAll("form").forEach(function (form) {
    var fields = form.querySelectorAll(".field[data-required-when]");
    if (!fields.length) {
      return;
    }
    function valueOf(name) {
      var inputs = form.querySelectorAll('[name="' + name + '"]');
      var value = "";
      Array.prototype.forEach.call(inputs, function (el) {
        if (el.type === "checkbox") {
          value = el.checked ? "true" : "false";
        } else if (el.type === "radio") {
          value = el.checked ? el.value : value;
        } else {
          value = el.value.trim();
        }
      });
      return value;
    }
    function update() {
      fields.forEach(function (field) {
        var required = field.getAttribute("data-required") === "true";
        JSON.parse(field.getAttribute("data-required-when")).forEach(function (rule) {
          var holds = Object.keys(rule.if).every(function (name) {
            return rule.if[name].indexOf(valueOf(name)) >= 0;
          });
          required = required || holds === rule.then;
        });
        var mark = field.querySelector(".required-mark");
        if (mark) {
          mark.hidden = !required;
        }
        field.querySelectorAll("[aria-required]").forEach(function (el) {
          el.setAttribute("aria-required", required ? "true" : "false");
        });
      });
    }
    form.addEventListener("change", update);
    form.addEventListener("input", update);
    // the browser may have put answers back (reload, back/forward) or the user chosen one before this script ran
    update();
    window.addEventListener("pageshow", update);
  });
})();
