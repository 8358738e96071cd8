"""What a user task's form may offer: filed firms, and options a DMN rule enables or disables with a reason."""

from typing import Any

from flask_babel import gettext

from app.decisions.log import recording
from app.engine.specs import ProcessVersion, catalog
from app.formkit import Option
from app.formkit.spec import as_text
from app.organizations.services import (
    filed_firm_choices,
    filed_firms_by_id,
    list_local_associations,
    organizations_of_kind,
)
from app.workflow.facts import person_facts
from app.workflow.models import HumanTask


def field_options(
    task: HumanTask, version: ProcessVersion, chosen: dict[str, Any] | None = None
) -> dict[str, list[Option]]:
    """Choices the form may offer: filed firms for organisation fields, DMN-gated enums (e.g. R-JOIN-2).

    With `chosen` (validating a submission) organisation fields list only the submitted firm if it is
    filed, instead of every filed firm; an organisation field's rule (R-ADM-4 firm_admin_firm) is then
    checked for that firm only, so rendering a form never evaluates a rule per filed firm.
    """
    form = version.forms[task.form_key or ""]
    options: dict[str, list[Option]] = {}
    facts: dict[str, Any] | None = None
    for name in form.order:
        ui = form.field_ui(name)
        if ui.get("widget") == "organization" and ui.get("organization_kind") == "local_association":
            options[name] = [Option(a.id, a.name) for a in list_local_associations()]  # R-JOIN-4: a handful
        elif ui.get("widget") == "organization" and ui.get("organization_kind") == "auction_firm":
            firms = organizations_of_kind("auction_firm", None if chosen is None else [chosen.get(name)])
            options[name] = [Option(f.id, f.name) for f in firms]  # firms in preparation too (R-AUC-4)
        elif ui.get("widget") == "organization":
            if chosen is None:
                options[name] = [Option(i, firm) for i, firm in filed_firm_choices()]
            else:
                options[name] = [Option(f.id, f.name) for f in filed_firms_by_id([chosen.get(name)])]
            if ui.get("rule") and chosen is not None:  # a firm-dependent rule is checked for the chosen firm
                facts = facts if facts is not None else person_facts(task.instance.applicant)
                options[name] = [_ruled(ui["rule"], facts, name, opt) for opt in options[name]]
        elif ui.get("rule"):
            facts = facts if facts is not None else person_facts(task.instance.applicant)
            enum = form.enum_options(name)
            if chosen is not None:  # a submission: only the submitted choice is decided (and recorded)
                enum = [opt for opt in enum if as_text(opt.value) == as_text(chosen.get(name))]
            options[name] = [_ruled(ui["rule"], facts, name, opt) for opt in enum]
    return options


def submitted_options(
    task: HumanTask, version: ProcessVersion, chosen: dict[str, Any], actor_id: int
) -> dict[str, list[Option]]:
    """field_options for a submission; the rules deciding the submitted choices are recorded in the decision log."""
    with recording("option", task.instance.applicant_id, actor_id=actor_id, instance_id=task.instance_id):
        return field_options(task, version, chosen)


def _ruled(rule: str, facts: dict[str, Any], name: str, option: Option) -> Option:
    """The option as the rule decides it: a row refusing it without a reason still refuses it (disabled, with a
    generic reason), on the page and on submit alike."""
    out = catalog().decide(rule, {**facts, name: option.value}).outputs
    return Option(
        option.value, option.label, None if out.get("allowed") else out.get("reason") or gettext("不符合条件")
    )
