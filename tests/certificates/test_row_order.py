"""Certificates, prints and photos come in a stated order on PostgreSQL too, where rows without an ORDER BY (or tied
on their sort key) come back in heap order, not insertion order, once rows have been deleted or updated."""

import re
from datetime import UTC, date, datetime

from sqlalchemy import delete

from app.certificates import services, staff
from app.certificates.models import Certificate, PrintRecord
from app.extensions import db
from app.members.models import Qualification
from tests.heap import in_either_heap_order, put_last_in_heap

AT = datetime(2026, 11, 3, 2, 0, tzinfo=UTC)


def test_revoking_names_every_certificate_it_revoked_in_issuing_order(client, login, world, demo_member):
    """R-CER-5: a member whose kind changed holds one certificate per kind; revoking ends both and says which."""
    member, _ = demo_member("13800000011")
    older = Certificate(member_id=member.id, kind="trainee", serial="2020000011-01", issued_at=AT)
    newer = Certificate(member_id=member.id, kind="practicing", serial="2020000011-02", issued_at=AT)
    db.session.add_all([older, newer])
    db.session.commit()
    put_last_in_heap(Certificate, older.id)
    login(world.local_reviewer)

    page = client.post(f"/association/members/{member.id}/revoke", follow_redirects=True).get_data(as_text=True)

    assert re.search(r"证书 2020000011-01、2020000011-02 均已作废", page)


def test_prints_of_one_instant_are_listed_newest_first(world, demo_member):
    member, user = demo_member("13800000011")
    cert = Certificate(member_id=member.id, kind="practicing", serial="2020000011-01", issued_at=AT)
    db.session.add(cert)
    db.session.flush()
    prints = [
        PrintRecord(certificate_id=cert.id, member_id=member.id, printed_by_id=user.id, printed_at=AT, kind=k, serial=s)
        for k, s in (("print", cert.serial), ("download", cert.serial))
    ]
    db.session.add_all(prints)
    db.session.commit()
    first, second = (p.id for p in prints)

    def check():
        assert [p.id for p in services.list_prints(member)] == [second, first]

    in_either_heap_order(PrintRecord, first, check)


def test_staff_offer_the_exam_photo_the_joining_forms_offer(world, demo_member, upload):
    """R-CER-7, R-JOIN-5: of two qualifications passed on one day, the same exam photo on both pages."""
    member, user = demo_member("13800000011")
    db.session.execute(delete(Qualification).where(Qualification.user_id == user.id))
    photos = [upload(user, name)["id"] for name in ("first.png", "second.png")]
    quals = [
        Qualification(user_id=user.id, kind=kind, passed_on=date(2015, 5, 1), exam_photo_attachment_id=photo)
        for kind, photo in zip(("appraiser", "appraiser_jewelry"), photos, strict=True)
    ]
    db.session.add_all(quals)
    db.session.commit()

    def check():
        photo = staff.default_photo(db.session.get(type(member), member.id))
        assert photo is not None and photo.id == photos[0]

    in_either_heap_order(Qualification, quals[0].id, check)


def test_revoking_two_certificates_says_so_in_english_too(client, login, world, demo_member):
    """The English message names both, separated as English lists are, in the plural."""
    member, _ = demo_member("13800000011")
    db.session.add_all(
        [
            Certificate(member_id=member.id, kind="trainee", serial="2020000011-01", issued_at=AT),
            Certificate(member_id=member.id, kind="practicing", serial="2020000011-02", issued_at=AT),
        ]
    )
    db.session.commit()
    login(world.local_reviewer)
    client.post("/language", data={"locale": "en", "next": "/"})

    page = client.post(f"/association/members/{member.id}/revoke", follow_redirects=True).get_data(as_text=True)

    assert "Certificates 2020000011-01, 2020000011-02 revoked" in page
