// The workbench editors' save / discard / publish / rebase bar over the file API (/workbench/api/files/…).
// A page calls MemberflowEditor.connect({load, content, showProblems}), and gives its editor library
// MemberflowEditor.translator(container) as a module; issue 17 items 2 and 3.
(function () {
  "use strict";

  var bar, state, api, csrf, page, live = null, draft = null;

  function el(id) { return document.getElementById(id); }

  function call(method, path, body) {
    var init = { method: method, headers: { "X-CSRFToken": csrf, Accept: "application/json" },
      credentials: "same-origin" };
    if (body !== undefined) {
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    return fetch(api + path, init).then(function (res) {
      if (res.status === 204) { return { status: 204, body: null }; }
      return res.json().then(function (data) { return { status: res.status, body: data }; },
        function () { return { status: res.status, body: null }; });
    });
  }

  function failed(res) {  // the server's own words when it gave them (a JSON {"error": …}), else the status
    say(bar.dataset.failedText + "：" + (res.body && res.body.error ? res.body.error : "HTTP " + res.status), true);
  }

  function say(text, isError) {
    state = state || el("wb-state");
    state.textContent = text;
    state.classList.toggle("wb-error", !!isError);
  }

  function versionText() {
    var text = bar.dataset.liveText.replace("{n}", live ? "v" + live.number : "-");
    return draft ? text + bar.dataset.draftText : text;
  }

  function showProblems(problems) {
    var list = el("wb-problem-list");
    list.textContent = "";
    (problems || []).forEach(function (p) {
      var item = document.createElement("li");
      var where = [p.file, p.line ? bar.dataset.lineText.replace("{n}", p.line) : "", p.element_id]
        .filter(Boolean).join(" · ");
      if (where) {
        var place = document.createElement(p.element_id ? "button" : "strong");
        place.textContent = where;
        if (p.element_id) {
          place.type = "button";
          place.className = "link";
          place.addEventListener("click", function () { page.focusElement(p.element_id); });
        }
        item.appendChild(place);
        item.appendChild(document.createTextNode(" "));
      }
      item.appendChild(document.createTextNode(p.message));
      list.appendChild(item);
    });
    el("wb-problems").hidden = !(problems && problems.length);
    page.showProblems(problems || []);
  }

  function showWhatIf(entries) {  // a DMN draft: how many recorded decisions it would change, beside Publish
    var list = el("wb-what-if");
    list.textContent = "";
    (entries || []).forEach(function (w) {
      var item = document.createElement("li");
      var directions = (w.directions || []).map(function (d) { return d.from + " → " + d.to + " " + d.count; });
      item.appendChild(document.createTextNode(w.decision_id + "：" + [w.headline].concat(directions).join("；") + " · "));
      var link = document.createElement("a");
      link.href = w.url;
      link.textContent = bar.dataset.whatIfLinkText;
      item.appendChild(link);
      list.appendChild(item);
    });
    list.hidden = !(entries && entries.length);
  }

  function refreshWhatIf() {
    return call("GET", "").then(function (res) {
      if (res.status === 200) { showWhatIf(res.body.draft ? res.body.draft.what_if : []); }
    });
  }

  function buttons() {
    el("wb-save").disabled = false;
    el("wb-discard").disabled = !draft;
    el("wb-publish").disabled = false;  // publishing saves and checks what is on the screen first
  }

  function load() {
    return call("GET", "").then(function (res) {
      if (res.status !== 200) {
        failed(res);
        return;
      }
      live = res.body.live;
      draft = res.body.draft;
      el("wb-conflict").hidden = !(draft && draft.stale);
      el("wb-conflict-diff").textContent = "";
      return Promise.resolve(page.load(draft ? draft.content : live.content)).then(function () {
        var problems = draft ? draft.problems || [] : [];
        showProblems(problems);
        showWhatIf(draft ? draft.what_if : []);
        buttons();
        say(versionText());
      });
    });
  }

  function save() {
    say(bar.dataset.savingText);
    return Promise.resolve(page.content()).then(function (content) {
      return call("PUT", "/draft", { content: content });
    }).then(function (res) {
      if (res.status !== 200) { failed(res); return; }
      draft = draft || {};
      showProblems(res.body.problems);
      buttons();
      say(res.body.publishable ? bar.dataset.savedText : bar.dataset.savedProblemsText, !res.body.publishable);
      var publishable = res.body.publishable;
      return refreshWhatIf().then(function () { return publishable; });
    });
  }

  function publish() {  // what is on the screen is what gets published: saved (and checked) first
    return save().then(function (publishable) {
      if (!publishable) { return; }
      say(bar.dataset.publishingText);
      return call("POST", "/publish", { comment: el("wb-comment").value }).then(published);
    });
  }

  function published(res) {
    if (res.status === 200) {
      el("wb-comment").value = "";
      return load().then(function () { say(bar.dataset.publishedText.replace("{n}", "v" + res.body.number)); });
    }
    if (res.status === 422) {
      showProblems(res.body.problems);
      say(res.body.scenarios ? bar.dataset.scenariosText : bar.dataset.savedProblemsText, true);
      return;
    }
    if (res.status === 409) { conflict(res.body); return; }
    failed(res);
  }

  function conflict(body) {
    el("wb-conflict-elements").textContent = (body.changed_elements || []).length
      ? bar.dataset.changedText + (body.changed_elements || []).join(", ") : "";
    el("wb-conflict-diff").textContent = body.diff || "";
    el("wb-conflict").hidden = false;
    page.showChanged(body.changed_elements || []);
    say(bar.dataset.conflictText, true);
  }

  function run(action) {
    return function () {
      Promise.resolve(action()).catch(function (err) { say(bar.dataset.failedText + ": " + err, true); });
    };
  }

  // The editor library's own words in the page's language (app/editors/library_words.py, the container's
  // data-words): a `translate` service for bpmn-js or dmn-js, which ask it for every word they show. A word missing
  // there stays the library's English; placeholders ({element}) are filled from the library's replacements.
  function translator(container) {
    var words = JSON.parse(container.getAttribute("data-words") || "{}");
    var translate = function (template, replacements) {
      return (words[template] || template).replace(/{([^}]+)}/g, function (whole, key) {
        var value = replacements ? replacements[key.trim()] : undefined;
        return value === undefined ? whole : String(value);
      });
    };
    return { translate: ["value", translate] };
  }

  window.MemberflowEditor = {
    translator: translator,
    connect: function (pageApi) {
      page = Object.assign({ focusElement: function () {}, showProblems: function () {},
        showChanged: function () {} }, pageApi);
      bar = el("wb-bar");
      state = el("wb-state");
      api = bar.dataset.api;
      csrf = document.querySelector('meta[name="csrf-token"]').content;
      el("wb-save").addEventListener("click", run(save));
      el("wb-publish").addEventListener("click", run(publish));
      el("wb-discard").addEventListener("click", run(function () {
        if (!window.confirm(bar.dataset.discardText)) { return; }
        return call("DELETE", "/draft").then(load);
      }));
      el("wb-rebase").addEventListener("click", run(function () {
        return call("POST", "/rebase").then(function (res) {
          if (res.status !== 200) { failed(res); return; }
          return load();
        });
      }));
      run(load)();
    },
    say: say
  };
})();
