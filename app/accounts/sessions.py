"""Ending a person's sessions on the server: the one place the revoking events call.

Each session stores the user's `session_generation` at login (User.get_id); the user loader refuses a
session whose generation is no longer the account's. `revoke_credentials` bumps it in SQL, so every
session of the account ends at its next request — a copied cookie included. It is called on logout
(which therefore ends the sessions on every device), password reset, role revocation (admin or firm
staff removal, firm-admin replacement) and resignation. API tokens, once they exist, are to be revoked
here too: a token records the generation it was issued under and is refused once it differs, so the
same events end them without a second list of call sites.
"""

from app.accounts.models import User
from app.extensions import db


def revoke_credentials(user_id: int) -> None:
    """End every session (and, later, API token) of this account; part of the caller's transaction."""
    user = db.session.get(User, user_id)
    if user is None:
        return
    user.session_generation = User.session_generation + 1  # in SQL: parallel revocations both count
    db.session.flush()
    db.session.expire(user, ["session_generation"])
