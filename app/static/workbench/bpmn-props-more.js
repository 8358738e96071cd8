// More of the properties panel's project group (bpmn-props.js): a service task's operation and parameters, timer
// and message events, sequence-flow conditions and the rules of the step's form fields.
(function () {
  "use strict";

  var B = window.MemberflowBpmn, E = window.MemberflowBpmnEntries, h = B.h, is = B.is, bo = B.getBusinessObject;

  // -- service task: <spiffworkflow:serviceTaskOperator id=… resultVariable=…><spiffworkflow:parameters>… -------
  function operator(element) { return E.extension(element, "ServiceTaskOperator"); }

  function parameterList(element) {
    var op = operator(element), box = op && op.get("parameters");
    return box ? box.get("parameters") || [] : [];
  }

  function setOperation(voc, element, name, injector) {
    var modeling = injector.get("modeling"), factory = injector.get("bpmnFactory");
    var op = operator(element);
    if (!name) { if (op) { E.dropExtension(element, op, injector); } return; }
    op = E.ensureExtension(element, "ServiceTaskOperator", { id: name }, injector);
    var known = voc.operations.find(function (o) { return o.name === name; });
    var old = {};
    parameterList(element).forEach(function (p) { old[p.id] = p.value; });
    var box = factory.create("spiffworkflow:Parameters", { parameters: [] });
    box.$parent = op;
    var params = (known ? known.parameters : []).map(function (p) {
      var made = factory.create("spiffworkflow:Parameter", { id: p.name, type: p.type, value: old[p.name] || "" });
      made.$parent = box;
      return made;
    });
    box.set("parameters", params);
    modeling.updateModdleProperties(element, op, { id: name, parameters: params.length ? box : undefined });
  }

  function setParameter(element, id, value, injector) {
    var one = parameterList(element).find(function (p) { return p.id === id; });
    if (one) { injector.get("modeling").updateModdleProperties(element, one, { value: value }); }
  }

  function operation(voc, element) {
    var L = voc.labels, names = voc.operations.map(function (o) { return o.name; });
    var list = [E.plain(voc, element, "mf-operation", L.operation,
      function (el) { var op = operator(el); return op ? op.id || "" : ""; },
      function (el, v, inj) { setOperation(voc, el, v, inj); },
      function () { return E.options(names, null, L.none); })];
    if (!operator(element)) { return list; }
    list.push(E.plain(voc, element, "mf-result", L.resultVariable,
      function (el) { return operator(el).resultVariable || ""; },
      function (el, v, inj) { inj.get("modeling").updateModdleProperties(el, operator(el), { resultVariable: v || undefined }); }));
    parameterList(element).forEach(function (p) {
      var label = L.parameter.replace("%(name)s", p.id).replace("%(type)s", p.type || "");
      list.push(E.plain(voc, element, "mf-param-" + p.id, label,
        function (el) { var one = parameterList(el).find(function (x) { return x.id === p.id; }); return one ? one.value || "" : ""; },
        function (el, v, inj) { setParameter(el, p.id, v, inj); }));
    });
    return list;
  }

  // -- events: timer expression and the withdraw / abandon messages --------------------------------------------
  function definition(element, type) {
    return (bo(element).get("eventDefinitions") || []).find(function (d) { return is(d, type); });
  }

  var TIMER_KINDS = ["timeDuration", "timeDate", "timeCycle"];

  function timerKind(timer) { return TIMER_KINDS.find(function (k) { return timer.get(k); }) || "timeDuration"; }

  function setTimer(element, kind, text, injector) {
    var timer = definition(element, "bpmn:TimerEventDefinition"), attrs = {};
    TIMER_KINDS.forEach(function (k) { attrs[k] = undefined; });
    if (text) {
      attrs[kind] = injector.get("bpmnFactory").create("bpmn:FormalExpression", { body: text });
      attrs[kind].$parent = timer;
    }
    injector.get("modeling").updateModdleProperties(element, timer, attrs);
  }

  function timerText(element) {
    var timer = definition(element, "bpmn:TimerEventDefinition"), body = timer.get(timerKind(timer));
    return body ? body.body || "" : "";
  }

  function message(voc, element) {
    var L = voc.labels;
    return E.plain(voc, element, "mf-message", L.message,
      function (el) { var ref = definition(el, "bpmn:MessageEventDefinition").messageRef; return ref ? ref.name || "" : ""; },
      function (el, v, inj) {
        var defs = inj.get("canvas").getRootElement().businessObject.$parent;
        var found = (defs.get("rootElements") || []).find(function (r) { return is(r, "bpmn:Message") && r.name === v; });
        if (!found && v) {
          found = inj.get("bpmnFactory").create("bpmn:Message", { name: v });
          found.$parent = defs;
          inj.get("modeling").updateModdleProperties(el, defs, { rootElements: defs.get("rootElements").concat([found]) });
        }
        inj.get("modeling").updateModdleProperties(el, definition(el, "bpmn:MessageEventDefinition"), { messageRef: found });
      },
      function () { return E.options(["withdraw", "abandon"], [L.message_withdraw, L.message_abandon], L.none); });
  }

  function events(voc, element) {
    var L = voc.labels, list = [];
    if (definition(element, "bpmn:TimerEventDefinition")) {
      list.push(E.plain(voc, element, "mf-timer-kind", L.timer_kind,
        function (el) { return timerKind(definition(el, "bpmn:TimerEventDefinition")); },
        function (el, v, inj) { setTimer(el, v || "timeDuration", timerText(el), inj); },
        function () { return TIMER_KINDS.map(function (k) { return { value: k, label: k }; }); }));
      list.push(E.plain(voc, element, "mf-timer", L.timer, timerText,
        function (el, v, inj) { setTimer(el, timerKind(definition(el, "bpmn:TimerEventDefinition")), v, inj); }));
    }
    if (definition(element, "bpmn:MessageEventDefinition")) { list.push(message(voc, element)); }
    if (is(element, "bpmn:SequenceFlow") && is(element.source, "bpmn:ExclusiveGateway")) {
      list.push(E.plain(voc, element, "mf-condition", L.condition,
        function (el) { var c = bo(el).conditionExpression; return c ? c.body || "" : ""; },
        function (el, v, inj) {
          var expr;
          if (v) { expr = inj.get("bpmnFactory").create("bpmn:FormalExpression", { body: v }); expr.$parent = bo(el); }
          inj.get("modeling").updateProperties(el, { conditionExpression: expr });
        }));
    }
    return list;
  }

  // -- the step's form: which fields a DMN rule gates (edited on the form page) ---------------------------------
  function formRules(voc, element) {
    return [{ id: "mf-form-rules", element: element, isEdited: function () { return false; },
      component: E.once("form-rules", function () { return function (props) {
        var key = E.getProp(props.element, "formKey"), rules = voc.form_rules[key] || {};
        var names = Object.keys(rules);
        var link = h("a", { href: "/workbench/edit/form/" + encodeURIComponent(key), class: "wb-form-link" }, voc.labels.edit_form);
        return h("div", { class: "bio-properties-panel-entry wb-form-rules" },
          h("div", { class: "bio-properties-panel-label" }, voc.labels.field_rules),
          names.length ? h("ul", null, names.map(function (n) { return h("li", { key: n }, n + " → " + rules[n]); }))
            : h("p", null, voc.labels.none),
          key ? link : null);
      }; }) }];
  }

  window.MemberflowBpmnMore = { operation: operation, events: events, formRules: formRules };
})();
