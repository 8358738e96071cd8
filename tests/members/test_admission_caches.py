"""An admission writes the member row with Core statements (issue 13): what the request already read about the person
from before it (their facts, their standing) is read again, as after any membership the session flushes."""

from datetime import date

from app.accounts.rights import holds_no_rights
from app.extensions import db
from app.members.admission import admit_member
from app.members.models import Member
from app.workflow.facts import person_facts


def test_a_person_admitted_in_this_transaction_is_a_member_in_its_facts(world):
    assert person_facts(world.applicant)["is_member"] is False  # read, and kept for the transaction
    admit_member(world.applicant.id, world.firm_bj.id, "trainee")
    assert person_facts(world.applicant)["is_member"] is True


def test_a_lapsed_member_readmitted_in_this_transaction_holds_rights_again(world):
    """R-ACC-5: a former member holds no rights; admitted again, the same request sees them in standing."""
    db.session.add(
        Member(
            user_id=world.applicant.id,
            member_number="2020000001",
            kind="full",
            local_association_id=world.firm_bj.local_association_id,
            status="resigned",
            joined_on=date(2020, 1, 1),
            left_on=date(2021, 1, 1),
        )
    )
    db.session.flush()
    assert holds_no_rights(world.applicant)  # read, and kept for the transaction
    admit_member(world.applicant.id, world.firm_bj.id, "trainee")
    assert not holds_no_rights(world.applicant)
