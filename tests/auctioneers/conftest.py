"""Auctioneer page tests log in through the login page like the accounts tests."""

from tests.accounts.conftest import logged_in  # noqa: F401
