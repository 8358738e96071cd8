// The BPMN editor page (/workbench/edit/bpmn/<name>): bpmn-js modeler, properties panel with the project's group,
// token simulation, problems pinned to their elements, bpmn-js's own words in the page's language; saving and
// publishing through editor-api.js (issue 17).
(function () {
  "use strict";

  var B = window.MemberflowBpmn, modeler, pinned = [], simulating = false, comments = [];
  var box = document.querySelector(".wb-modeler");
  var canvasBox = document.getElementById("wb-canvas");  // holds bpmn-js's words in the page's language

  function marks(ids, css) {
    var canvas = modeler.get("canvas"), registry = modeler.get("elementRegistry");
    ids.forEach(function (id) { if (registry.get(id)) { canvas.addMarker(id, css); } });
    return function () { ids.forEach(function (id) { if (registry.get(id)) { canvas.removeMarker(id, css); } }); };
  }

  function clearPins() { pinned.forEach(function (undo) { undo(); }); pinned = []; }

  function showProblems(problems) {
    clearPins();
    var overlays = modeler.get("overlays"), registry = modeler.get("elementRegistry");
    var byElement = {};
    problems.forEach(function (p) {
      if (p.element_id && registry.get(p.element_id)) { (byElement[p.element_id] = byElement[p.element_id] || []).push(p.message); }
    });
    Object.keys(byElement).forEach(function (id) {
      var badge = document.createElement("div");
      badge.className = "wb-pin";
      badge.setAttribute("role", "note");
      badge.textContent = "⚠ " + byElement[id].join("；");
      var overlay = overlays.add(id, "memberflow-problem", { position: { bottom: -6, left: 0 }, html: badge });
      pinned.push(function () { overlays.remove(overlay); });
    });
    pinned.push(marks(Object.keys(byElement), "wb-has-problem"));
  }

  function showChanged(ids) { pinned.push(marks(ids, "wb-changed")); }

  function focusElement(id) {
    var element = modeler.get("elementRegistry").get(id);
    if (!element) { return; }
    modeler.get("selection").select(element);
    modeler.get("canvas").scrollToElement(element);
  }

  // A lane's name is its role's code (applicant, local_association): each lane also shows the role as people say
  // it ("地方协会"), from the project's role list (the vocabulary), kept up to date as lanes change.
  function showLaneRoles(voc) {
    var overlays = modeler.get("overlays"), labels = {};
    voc.roles.forEach(function (r) { labels[r.value] = r.label; });
    function badge(element) {
      overlays.remove({ element: element, type: "memberflow-role" });
      var name = element.businessObject.name || "", said = labels[name];
      var tag = document.createElement("div");
      tag.className = "wb-lane-role" + (said ? "" : " wb-lane-unknown");
      tag.textContent = said || (name ? voc.labels.unknown_role.replace("{code}", name) : voc.labels.no_role);
      overlays.add(element, "memberflow-role", { position: { top: 4, left: element.width - 6 }, html: tag, scale: false });
    }
    function all() {
      modeler.get("elementRegistry").filter(function (el) { return B.is(el, "bpmn:Lane"); }).forEach(badge);
    }
    modeler.on("import.done", all);
    modeler.on("element.changed", function (e) { if (B.is(e.element, "bpmn:Lane")) { badge(e.element); } });
  }

  function load(xml) {
    comments = window.MemberflowXmlComments.remember(xml);
    return modeler.importXML(xml).then(function () { modeler.get("canvas").zoom("fit-viewport"); });
  }

  function content() {
    if (simulating) { toggleSimulation(); }  // the simulation's colours are not part of the diagram
    return modeler.saveXML({ format: true }).then(function (out) {
      return window.MemberflowXmlComments.restore(out.xml, comments);
    });
  }

  function toggleSimulation() {
    modeler.get("toggleMode").toggleMode();
    simulating = !simulating;
    var button = document.getElementById("wb-simulate");
    button.setAttribute("aria-pressed", String(simulating));
    button.classList.toggle("secondary", !simulating);
  }

  fetch(box.dataset.vocabulary, { credentials: "same-origin" }).then(function (res) { return res.json(); }).then(function (voc) {
    modeler = new B.BpmnModeler({
      container: "#wb-canvas",
      propertiesPanel: { parent: "#wb-properties" },
      additionalModules: [B.BpmnPropertiesPanelModule, B.BpmnPropertiesProviderModule, B.TokenSimulationModule,
        window.MemberflowBpmnProps.module(voc), window.MemberflowEditor.translator(canvasBox)],
      moddleExtensions: { spiffworkflow: window.MemberflowSpiffModdle }
    });
    showLaneRoles(voc);
    window.memberflowModeler = modeler;  // the browser test and the console reach the diagram here
    document.getElementById("wb-simulate").addEventListener("click", toggleSimulation);
    window.MemberflowEditor.connect({ load: load, content: content, showProblems: showProblems,
      showChanged: showChanged, focusElement: focusElement });
  }).catch(function (err) { window.MemberflowEditor.say(String(err), true); });
})();
