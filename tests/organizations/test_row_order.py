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
