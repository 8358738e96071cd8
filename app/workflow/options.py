"""What a user task's form may offer: filed firms, and options a DMN rule enables or disables with a reason."""

from typing import Any

from flask_babel import gettext

from app.decisions.log import recording
from app.engine.specs import ProcessVersion, catalog
from app.formkit import Option
from app.formkit.spec import as_text
from app.organizations import choices
from app.workflow.facts import person_facts
from app.workflow.models import HumanTask


def field_options(
    task: HumanTask,
    version: ProcessVersion,
    chosen: dict[str, Any] | None = None,
    *,
    shown: dict[str, Any] | None = None,
) -> dict[str, list[Option]]:
    """Choices the form may offer: organisations for organisation fields, DMN-gated enums (e.g. R-JOIN-2).

    With `chosen` (validating a submission) organisation fields list only the submitted organisation if the field
    offers it; an organisation field's rule (R-ADM-4 firm_admin_firm) is then checked for it only, so rendering a
    form never evaluates a rule per filed firm. With `shown` (the page drawing these values) a searched field
    (choices.is_searched: 5,000 filed firms) lists only the organisation it holds, to name it; the page searches
    the rest (search_organizations). Without either, every organisation (the API's task document).
    """
    form = version.forms[task.form_key or ""]
    options: dict[str, list[Option]] = {}
    facts: dict[str, Any] | None = None
    for name in form.order:
        ui = form.field_ui(name)
        if ui.get("widget") == "organization":
            kind = choices.field_kind(ui)
            values = chosen if chosen is not None else shown if choices.is_searched(ui) else None
            found = choices.listed(kind) if values is None else choices.among(kind, [values.get(name)])
            options[name] = [Option(c.id, c.name) for c in found]
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


def searched_fields(task: HumanTask, version: ProcessVersion) -> list[str]:
    """The task form's organisation fields whose page searches the organisations instead of listing them."""
    form = version.forms[task.form_key or ""]
    return [name for name in form.order if choices.is_searched(form.field_ui(name))]


def search_organizations(
    task: HumanTask, version: ProcessVersion, name: str, text: str
) -> tuple[list[choices.Choice], bool] | None:
    """Up to 20 organisations the task form's field `name` offers (the same filter as field_options) matching
    `text`, and whether there are more; None when the form has no such searched field."""
    form = version.forms[task.form_key or ""]
    if name not in form.order or not choices.is_searched(form.field_ui(name)):
        return None
    ui = form.field_ui(name)
    if ui.get("rule"):
        return _search_ruled(task, ui["rule"], name, choices.field_kind(ui), text)
    return choices.search(choices.field_kind(ui), text)


NO_ORGANIZATION = 0  # an id no organisation has (ids start at 1)


def _search_ruled(task: HumanTask, rule: str, name: str, kind: str, text: str) -> tuple[list[choices.Choice], bool]:
    """What a field whose rule decides the organisation (R-ADM-4 firm_admin_firm) offers: those the rule allows, the
    rule itself deciding (submitting decides again, field_options). The rule reads the id beside the person's facts.
    Two ids no fact names are put to it, 0 (no organisation has it) and one above every id the facts name: when it
    refuses both, it tells organisations apart by comparing the id with a fact (the shipped rule: the member's own
    firm), so only those the facts name may be allowed and just they are searched. Else the search runs as for any
    field and drops the rows the rule refuses (at most a page of them). Limitation: a rule that refuses both probes
    yet allows some id no fact names (an id range) offers only the named ones; submitting still decides."""
    facts = person_facts(task.instance.applicant)

    def allowed(org_id: int) -> bool:
        return _ruled(rule, facts, name, Option(org_id, "")).disabled_reason is None

    named = {v for v in facts.values() if isinstance(v, int) and not isinstance(v, bool)}
    if allowed(NO_ORGANIZATION) or allowed(max(named, default=NO_ORGANIZATION) + 1):
        found, more = choices.search(kind, text)
        return [c for c in found if allowed(c.id)], more
    return [c for c in choices.search(kind, text, among=named)[0] if allowed(c.id)], False


def typed_organizations(task: HumanTask, version: ProcessVersion, typed: dict[str, str]) -> dict[str, int]:
    """The organisation each searched field's typed text names exactly (full name or credit code), where the person
    sent the text without picking from the list or without the page script."""
    form = version.forms[task.form_key or ""]
    found = {}
    for name, text in typed.items():
        if name in form.order and choices.is_searched(form.field_ui(name)):
            org_id = choices.typed(choices.field_kind(form.field_ui(name)), text)
            if org_id is not None:
                found[name] = org_id
    return found


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
