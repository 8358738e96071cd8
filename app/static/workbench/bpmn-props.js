// The BPMN properties panel's group for what this project's engine reads (app/engine, app/workflow), written in
// the XML form processes/*.bpmn use. MemberflowBpmnProps.module(vocabulary) -> a bpmn-js module (issue 17 item 2).
(function () {
  "use strict";

  var B = window.MemberflowBpmn, h = B.h, is = B.is, bo = B.getBusinessObject;
  var SPIFF = "spiffworkflow:";

  // -- reading and writing the extension elements (every change is one undoable modeling command) --------------
  function extension(element, type) {
    var ext = bo(element).get("extensionElements");
    return ext ? (ext.get("values") || []).find(function (v) { return v.$type === SPIFF + type; }) : undefined;
  }

  function ensureExtension(element, type, attrs, injector) {
    var modeling = injector.get("modeling"), factory = injector.get("bpmnFactory"), owner = bo(element);
    var ext = owner.get("extensionElements");
    if (!ext) {
      ext = factory.create("bpmn:ExtensionElements", { values: [] });
      ext.$parent = owner;
      modeling.updateModdleProperties(element, owner, { extensionElements: ext });
    }
    var found = extension(element, type);
    if (!found) {
      found = factory.create(SPIFF + type, attrs);
      found.$parent = ext;
      modeling.updateModdleProperties(element, ext, { values: ext.get("values").concat([found]) });
    }
    return found;
  }

  function dropExtension(element, found, injector) {
    var ext = bo(element).get("extensionElements"), rest = ext.get("values").filter(function (v) { return v !== found; });
    var modeling = injector.get("modeling");
    if (rest.length) { modeling.updateModdleProperties(element, ext, { values: rest }); }
    else { modeling.updateModdleProperties(element, bo(element), { extensionElements: undefined }); }
  }

  function getProp(element, name) {
    var box = extension(element, "Properties");
    var one = box && (box.get("properties") || []).find(function (p) { return p.name === name; });
    return one ? one.value || "" : "";
  }

  function setProp(element, name, value, injector) {
    var modeling = injector.get("modeling"), box = extension(element, "Properties");
    var list = box ? box.get("properties") || [] : [];
    var one = list.find(function (p) { return p.name === name; });
    if (!value) {
      if (!one) { return; }
      var rest = list.filter(function (p) { return p !== one; });
      if (rest.length) { modeling.updateModdleProperties(element, box, { properties: rest }); }
      else { dropExtension(element, box, injector); }
      return;
    }
    if (one) { modeling.updateModdleProperties(element, one, { value: value }); return; }
    box = ensureExtension(element, "Properties", { properties: [] }, injector);
    one = injector.get("bpmnFactory").create(SPIFF + "Property", { name: name, value: value });
    one.$parent = box;
    modeling.updateModdleProperties(element, box, { properties: box.get("properties").concat([one]) });
  }

  // -- entry components (preact, through the bundle's h) --------------------------------------------------------
  function options(values, labels, none) {
    return [{ value: "", label: none }].concat(values.map(function (v, i) {
      return { value: v, label: labels ? labels[i] : v };
    }));
  }

  function propEntry(voc, name, kind, choices) {
    return function (props) {
      var injector = B.useService("injector"), debounce = B.useService("debounceInput");
      var common = { element: props.element, id: props.id, label: voc.labels[name], description: voc.labels[name + "_hint"],
        getValue: function () { return getProp(props.element, name); },
        setValue: function (v) { setProp(props.element, name, v === true ? "true" : v || "", injector); } };
      if (kind === "check") {
        return h(B.CheckboxEntry, Object.assign(common, { getValue: function () { return getProp(props.element, name) === "true"; } }));
      }
      if (kind === "select") {
        return h(B.SelectEntry, Object.assign(common, { getOptions: function () { return choices(); } }));
      }
      return h(B.TextFieldEntry, Object.assign(common, { debounce: debounce }));
    };
  }

  // One component function per entry for the page's life: the panel redraws after every change, and a new
  // function would be a new component to preact — the field being typed in would be replaced and lose focus.
  var components = {};
  function once(key, make) { return components[key] || (components[key] = make()); }

  function entry(voc, element, name, kind, choices) {
    return { id: "mf-" + name, element: element,
      component: once(name, function () { return propEntry(voc, name, kind, choices); }),
      isEdited: kind === "check" ? B.isCheckboxEntryEdited : kind === "select" ? B.isSelectEntryEdited : B.isTextFieldEntryEdited };
  }

  function plain(voc, element, id, label, getValue, setValue, choices, description) {
    return { id: id, element: element, isEdited: choices ? B.isSelectEntryEdited : B.isTextFieldEntryEdited,
      component: once(id + "\n" + label, function () { return function (props) {
        var injector = B.useService("injector"), debounce = B.useService("debounceInput");
        var common = { element: props.element, id: props.id, label: label, description: description,
          getValue: function () { return getValue(props.element); },
          setValue: function (v) { setValue(props.element, v || "", injector); } };
        return choices ? h(B.SelectEntry, Object.assign(common, { getOptions: choices }))
          : h(B.TextFieldEntry, Object.assign(common, { debounce: debounce }));
      }; }) };
  }

  window.MemberflowBpmnEntries = { extension: extension, ensureExtension: ensureExtension, dropExtension: dropExtension,
    getProp: getProp, setProp: setProp, options: options, plain: plain, once: once };

  function entries(voc, element) {
    var L = voc.labels, none = L.none, list = [];
    function pick(values, labels) { return function () { return options(values, labels, none); }; }
    if (is(element, "bpmn:Lane")) {
      list.push(plain(voc, element, "mf-lane", L.lane, function (el) { return bo(el).name || ""; },
        function (el, v, inj) { inj.get("modeling").updateProperties(el, { name: v }); },
        pick(voc.roles.map(function (r) { return r.value; }), voc.roles.map(function (r) { return r.label + "（" + r.value + "）"; })),
        L.lane_hint));
    } else if (is(element, "bpmn:UserTask")) {
      list.push(entry(voc, element, "formKey", "select", pick(voc.forms)));
      list.push(entry(voc, element, "assignee", "text"));
      list.push(entry(voc, element, "orgScope", "text"));
      var due = entry(voc, element, "dueDays", "text");
      list.push(due);
      list.push(entry(voc, element, "faceCheck", "check"));
      list = list.concat(window.MemberflowBpmnMore.formRules(voc, element));
    } else if (is(element, "bpmn:StartEvent") && !is(element.parent, "bpmn:SubProcess")) {
      list.push(entry(voc, element, "society", "select", pick(voc.societies)));
      list.push(entry(voc, element, "kind", "text"));
      list.push(entry(voc, element, "eligibilityDecision", "select", pick(voc.decisions)));
      list.push(entry(voc, element, "warningDecision", "select", pick(voc.decisions)));
      list.push(entry(voc, element, "exclusiveGroup", "text"));
      list.push(entry(voc, element, "startedBy", "select", pick(["system"], [L.startedBy_system])));
      list.push(entry(voc, element, "offeredTo", "select", pick(["firm"], [L.offeredTo_firm])));
      list.push(entry(voc, element, "subject", "text"));
      list.push(entry(voc, element, "identityChoice", "text"));
      list.push(entry(voc, element, "identityText", "text"));
      list.push(entry(voc, element, "applicationPanel", "select", pick(voc.panels)));
      list.push(entry(voc, element, "showCreditRecord", "check"));
    } else if (is(element, "bpmn:EndEvent")) {
      list.push(entry(voc, element, "outcome", "select", pick(voc.outcomes)));
      list.push(entry(voc, element, "outcomeText", "text"));
    } else if (is(element, "bpmn:ServiceTask")) {
      list = list.concat(window.MemberflowBpmnMore.operation(voc, element));
    }
    return list.concat(window.MemberflowBpmnMore.events(voc, element));
  }

  function Provider(propertiesPanel, vocabulary) {
    this.getGroups = function (element) {
      return function (groups) {
        var list = entries(vocabulary, element);
        if (list.length) { groups.splice(1, 0, { id: "memberflow", label: vocabulary.labels.group, entries: list }); }
        return groups;
      };
    };
    propertiesPanel.registerProvider(400, this);
  }
  Provider.$inject = ["propertiesPanel", "memberflowVocabulary"];

  window.MemberflowBpmnProps = {
    module: function (vocabulary) {
      vocabulary.labels.dueDays_hint = vocabulary.labels.dueDays_hint.replace("%(names)s", vocabulary.due_days.join(", "));
      return { __init__: ["memberflowProvider"], memberflowProvider: ["type", Provider],
        memberflowVocabulary: ["value", vocabulary] };
    }
  };
})();
