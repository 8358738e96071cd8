"""The role keys, in one place: who acts on a step. A BPMN lane's name is one of these keys (DESIGN.md
"Assignment"); the reviewer roles are the ones an administrator grants for an organisation of the same kind."""

REVIEWER_ROLES = (
    "firm",
    "local_association",
    "national_association",
    "finance_department",
    "auction_firm",
    "provincial_auction_association",
    "caa",
)
# the lanes a process may have: the applicant's, the reviewers', and "system" for the automatic steps
ROLE_LANES = ("applicant", *REVIEWER_ROLES, "system")
