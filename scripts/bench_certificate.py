"""Certificate generation time: one member's PDF (rules, issue, QR, CJK font subset, print log) on a warm process.

    scripts/bench                       (or: python -m scripts.bench_certificate --n 20)

Cold = the first certificate of the process (parses the Noto Sans CJK face once, converts the glyphs of the fixed
text). Warm = each further certificate of a different member (no reuse of an earlier document), each name with a
character new to the process (converted on the way): what a print request costs. Rare = a member named 李堃喆䶮.
Reprint = the same certificate again (the rendered document is reused; the print is still logged). Temp-file
SQLite, demo world.
"""

import argparse
import statistics
import time
from typing import Any

from sqlalchemy import select

from app.accounts.models import User
from app.certificates import services
from app.extensions import db
from app.members.models import CoreFiling, Member
from scripts.bench_world import demo_world

TARGET_WARM_P50_MS = 100.0  # issue 13, item 5


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


def run(n: int) -> dict[str, Any]:
    with demo_world("memberflow-certs-"):
        template = db.session.scalar(select(Member).join(User).where(User.mobile == "13800000011"))
        assert template is not None
        members = [template] + [_clone(template, i) for i in range(n)]
        db.session.commit()
        timings = []
        for member in members:
            user = db.session.get(User, member.user_id)
            assert user is not None
            started = time.perf_counter()
            services.require_printable(member)
            services.print_certificate(member, user)
            db.session.commit()
            timings.append(time.perf_counter() - started)
        started = time.perf_counter()
        services.print_certificate(members[1], user)
        db.session.commit()
        reprint = time.perf_counter() - started
        rare_member = _clone(template, n)
        rare_user = db.session.get(User, rare_member.user_id)
        assert rare_user is not None
        rare_user.name = "李堃喆䶮"
        db.session.commit()
        started = time.perf_counter()
        services.print_certificate(rare_member, rare_user)
        db.session.commit()
        rare = time.perf_counter() - started
    warm = sorted(timings[1:])
    return {
        "certificates": len(timings),
        "cold_ms": _ms(timings[0]),
        "warm_median_ms": _ms(statistics.median(warm)),
        "warm_p95_ms": _ms(warm[int(0.95 * (len(warm) - 1))]),
        "reprint_ms": _ms(reprint),
        "rare_ms": _ms(rare),
    }


def _clone(member: Member, i: int) -> Member:
    """Another member with the same filings, a different name (so a different font subset) and number."""
    name = f"测试{'甲乙丙丁戊己庚辛壬癸'[i % 10]}{chr(0x4E00 + 97 * i)}"
    user = User(mobile=f"1870000{i:04d}", name=name, password_hash="x")
    db.session.add(user)
    db.session.flush()
    clone = Member(
        user_id=user.id,
        member_number=f"2099{i:06d}",
        kind=member.kind,
        firm_id=member.firm_id,
        local_association_id=member.local_association_id,
        joined_on=member.joined_on,
        annual_inspection="passed",
    )
    db.session.add(clone)
    db.session.flush()
    for filing in db.session.scalars(select(CoreFiling).where(CoreFiling.member_id == member.id)):
        db.session.add(
            CoreFiling(member_id=clone.id, kind=filing.kind, attachment_id=filing.attachment_id, filed_by_id=user.id)
        )
    return clone


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(prog="scripts/bench_certificate", description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=20, help="warm certificates (different members)")
    args = parser.parse_args(argv)
    result = run(args.n)
    print(f"\nElectronic certificate, {result['certificates']} members (rules + issue + QR + PDF + print log)")
    print(
        f"  cold (first in process) {result['cold_ms']} ms; warm median {result['warm_median_ms']} ms, "
        f"p95 {result['warm_p95_ms']} ms; reprint of the same certificate {result['reprint_ms']} ms; "
        f"a member named 李堃喆䶮 {result['rare_ms']} ms"
    )
    ok = result["warm_median_ms"] <= TARGET_WARM_P50_MS
    print(f"  target: warm p50 <= {TARGET_WARM_P50_MS:.0f} ms -> {'PASS' if ok else 'FAIL'}")
    return result


if __name__ == "__main__":
    main()
