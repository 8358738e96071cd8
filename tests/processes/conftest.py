"""Process walks: the applicant passed the face check just now (R-ACC-2 is tested in test_face_check.py)."""

import pytest


@pytest.fixture(autouse=True)
def _face_checked(request, monkeypatch):
    if "real_face_check" not in request.keywords:
        monkeypatch.setattr("app.workflow.services.passed_face_check_recently", lambda user: True)
