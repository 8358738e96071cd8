// The BPMN editor bundle (scripts/vendor-editors): the libraries only; the project's own panel and page code
// are plain files in app/static/workbench/ that use what this exposes as window.MemberflowBpmn.
import BpmnModeler from 'bpmn-js/lib/Modeler';
import { BpmnPropertiesPanelModule, BpmnPropertiesProviderModule, useService } from 'bpmn-js-properties-panel';
import { TextFieldEntry, SelectEntry, CheckboxEntry, ListGroup, Group, isTextFieldEntryEdited,
  isSelectEntryEdited, isCheckboxEntryEdited } from '@bpmn-io/properties-panel';
import { h } from '@bpmn-io/properties-panel/preact';
import TokenSimulationModule from 'bpmn-js-token-simulation/lib/modeler';
import { getBusinessObject, is } from 'bpmn-js/lib/util/ModelUtil';

window.MemberflowBpmn = {
  BpmnModeler, BpmnPropertiesPanelModule, BpmnPropertiesProviderModule, TokenSimulationModule, useService,
  TextFieldEntry, SelectEntry, CheckboxEntry, ListGroup, Group, isTextFieldEntryEdited, isSelectEntryEdited,
  isCheckboxEntryEdited, h, getBusinessObject, is
};
