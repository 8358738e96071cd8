"""Desktop layout: the reviewers' inbox, with all its filters (issue 15), fits a 1280 px window (the filter row
used to run 600 px off the right edge, seen in the English walk)."""

import pytest

from tests.browser.pages import go
from tests.browser.test_journeys import FIRM_REVIEWER
from tests.browser.test_phone_layout import assert_fits_the_screen


@pytest.fixture
def size() -> str:
    return "desktop"


def test_the_inbox_with_its_filters_fits_a_desktop_window(open_as):
    reviewer = open_as(FIRM_REVIEWER)
    go(reviewer, "待办任务")
    assert_fits_the_screen(reviewer)
