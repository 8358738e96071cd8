// The spiffworkflow extension elements this project's BPMN files use (processes/*.bpmn), for bpmn-js to read
// and write them as the engine reads them: <spiffworkflow:properties>/<spiffworkflow:property name value> and
// <spiffworkflow:serviceTaskOperator id resultVariable>/<spiffworkflow:parameters>/<spiffworkflow:parameter>.
window.MemberflowSpiffModdle = {
  name: "SpiffWorkflow",
  uri: "http://spiffworkflow.org/bpmn/schema/1.0/core",
  prefix: "spiffworkflow",
  xml: { tagAlias: "lowerCase" },
  types: [
    { name: "Properties", superClass: ["Element"],
      properties: [{ name: "properties", type: "Property", isMany: true }] },
    { name: "Property", properties: [
      { name: "name", type: "String", isAttr: true }, { name: "value", type: "String", isAttr: true }] },
    { name: "ServiceTaskOperator", superClass: ["Element"], properties: [
      { name: "id", type: "String", isAttr: true }, { name: "resultVariable", type: "String", isAttr: true },
      { name: "parameters", type: "Parameters" }] },
    { name: "Parameters", properties: [{ name: "parameters", type: "Parameter", isMany: true }] },
    { name: "Parameter", properties: [
      { name: "id", type: "String", isAttr: true }, { name: "type", type: "String", isAttr: true },
      { name: "value", type: "String", isAttr: true }] },
    { name: "PreScript", superClass: ["Element"], properties: [{ name: "value", type: "String", isBody: true }] },
    { name: "PostScript", superClass: ["Element"], properties: [{ name: "value", type: "String", isBody: true }] }
  ]
};
