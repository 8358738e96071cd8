"""The certificate serial (member number + issue count) under simultaneous first prints: one certificate, no 500."""

import threading

from sqlalchemy import select

from app.certificates.models import Certificate
from app.certificates.services import current_certificate
from app.demo import load_demo
from app.extensions import db
from app.members.models import Member
from tests.processes.walk import person

THREADS = 8


def test_simultaneous_first_prints_share_one_certificate_r_cer_4(file_app):
    with file_app.app_context():
        load_demo()
        db.session.commit()
        member_id = db.session.scalars(select(Member.id).where(Member.user_id == person("13800000011").id)).one()
        db.session.remove()
    barrier, serials, errors = threading.Barrier(THREADS), [], []

    def first_print():
        with file_app.app_context():
            member = db.session.get(Member, member_id)
            barrier.wait()
            try:
                serials.append(current_certificate(member).serial)
                db.session.commit()
            except Exception as err:
                errors.append(repr(err))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=first_print) for _ in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with file_app.app_context():
        issued = db.session.scalars(select(Certificate.serial).where(Certificate.member_id == member_id)).all()
    assert len(issued) == 1 and set(serials) == set(issued)
