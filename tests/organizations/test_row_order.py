"""A confirmed firm change records its people in the order they were listed, on PostgreSQL too (rows without an
ORDER BY come back in heap order there, not insertion order, once rows have been deleted or updated)."""

from app.extensions import db
from app.organizations.filing_people import people_of
from app.organizations.firm_change import confirm_change
from app.organizations.models import FirmPerson
from tests.heap import put_last_in_heap


def test_the_history_names_added_and_removed_people_in_listing_order(world):
    firm = world.firm_bj
    for person in people_of(firm.id):
        person.filed = True
    leaving = [FirmPerson(firm_id=firm.id, person_kind="natural", name=n, filed=True) for n in ("甲离", "乙离")]
    joining = [FirmPerson(firm_id=firm.id, person_kind="natural", name=n, filed=False) for n in ("甲新", "乙新")]
    db.session.add_all([*leaving, *joining])
    db.session.flush()
    for person in leaving:
        person.removal_pending = True
    db.session.commit()
    put_last_in_heap(FirmPerson, leaving[0].id, joining[0].id)

    confirm_change(firm.id)

    assert db.session.get(type(firm), firm.id).filing_history[-1]["detail"] == "新增：甲新、乙新；删除：甲离、乙离"


def test_two_firms_of_one_name_are_offered_in_id_order(world):
    """Two filed firms may share a name (firm names are not unique): the box's list and its search put the older first,
    so that the first page cut at the limit is the same every time."""
    from app.organizations import choices
    from app.organizations.models import Organization
    from tests.heap import copy_row, in_either_heap_order

    older = copy_row(Organization, world.firm_bj.id, name="同名资产评估有限公司", credit_code="91110000100000098X")
    newer = copy_row(Organization, world.firm_bj.id, name="同名资产评估有限公司", credit_code="91110000100000099X")
    db.session.commit()

    def check():
        found, more = choices.search("firm", "同名资产评估", limit=1)
        assert [c.id for c in found] == [older] and more
        assert [c.id for c in choices.listed("firm") if c.name == "同名资产评估有限公司"] == [older, newer]

    in_either_heap_order(Organization, older, check)
