// The DMN editor bundle (scripts/vendor-editors): dmn-js's modeler (decision tables), as window.MemberflowDmn.
import DmnModeler from 'dmn-js/lib/Modeler';

window.MemberflowDmn = { DmnModeler };
