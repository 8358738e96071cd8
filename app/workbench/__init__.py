"""The analysts' workbench (issue 17): the catalog of published BPMN, DMN and form versions, drafts, publishing."""
