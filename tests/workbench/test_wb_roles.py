"""One list of roles (issue 17): the BPMN lanes the loader and the workbench accept are the reviewer roles an
administrator can grant, plus the applicant and the system's automatic steps — a lane nobody can be granted (the old
`cpa_institute`) would leave its tasks in no one's inbox."""

from app.accounts.services import ROLE_LABELS
from app.admin.services import ROLE_ORG_KIND
from app.engine.specs import ROLE_LANES
from app.organizations.models import ORG_KINDS
from app.roles import REVIEWER_ROLES
from tests.workbench.test_wb_checks import TRANSFER, _refused


def test_the_lanes_are_the_grantable_reviewer_roles_plus_applicant_and_system():
    assert ROLE_LANES == ("applicant", *REVIEWER_ROLES, "system")
    assert set(ROLE_ORG_KIND) == set(REVIEWER_ROLES) and set(ROLE_ORG_KIND.values()) <= set(ORG_KINDS)


def test_every_lane_has_a_label():
    """The workbench's lane picker and the inbox show the label, never the key."""
    assert set(ROLE_LABELS) == set(ROLE_LANES)


def test_a_lane_no_one_can_be_granted_is_refused(analyst_client):
    problems = _refused(
        analyst_client, "bpmn", "transfer.bpmn", TRANSFER.replace('name="firm"', 'name="cpa_institute"', 1)
    )
    assert problems and all("不是已知角色" in p["message"] for p in problems)
