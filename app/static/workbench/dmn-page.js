// The DMN editor page (/workbench/edit/dmn/<name>): dmn-js decision tables; saving and publishing through
// editor-api.js. Problems name the table (element_id) and line; they are listed above the table (issue 17).
(function () {
  "use strict";

  // dmn-js's own words in the page's language, given to each view (dmn-js merges a view's additionalModules, not
  // the common ones)
  var translated = { additionalModules: [window.MemberflowEditor.translator(document.getElementById("wb-dmn"))] };
  var modeler = new window.MemberflowDmn.DmnModeler({
    container: "#wb-dmn",
    drd: translated,
    decisionTable: translated,
    literalExpression: translated,
    boxedExpression: translated,
  });
  var comments = [];
  window.memberflowModeler = modeler;

  function load(xml) {
    comments = window.MemberflowXmlComments.remember(xml);
    return modeler.importXML(xml).then(function () {
      var table = modeler.getViews().find(function (v) { return v.type === "decisionTable"; });
      if (table) { return modeler.open(table); }
    });
  }

  function focusElement(id) {
    var view = modeler.getViews().find(function (v) { return v.element.id === id; });
    if (view) { modeler.open(view); }
  }

  function content() {
    return modeler.saveXML({ format: true }).then(function (out) {
      return window.MemberflowXmlComments.restore(out.xml, comments);
    });
  }

  window.MemberflowEditor.connect({ load: load, content: content, focusElement: focusElement });
})();
