"""The workbench editors (issue 17): BPMN modeler, DMN decision tables and form files in the browser."""
