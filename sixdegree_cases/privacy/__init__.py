"""Survivor privacy: automated checks, sensitive terms, the consent ledger and withdrawal.

Public entry points (imported lazily, so `privacy.dates` stays usable while apps load):

- `check_page(page_or_revision)` -> `PrivacyReport`
- `withdraw_consent(page, user, reason="")`
- `current_consent(page)`
"""


def check_page(page_or_revision):
    """Run every configured privacy check on a page or a revision; see `runner.check_page`."""
    from .runner import check_page as run

    return run(page_or_revision)


def withdraw_consent(page, user, reason=""):
    """Withdraw the survivor's consent and erase the story at once; see `withdrawal.withdraw_consent`."""
    from .withdrawal import withdraw_consent as withdraw

    return withdraw(page, user, reason=reason)


def current_consent(page):
    """The case's consent record that is not withdrawn, or None; see `models.current_consent`."""
    from .models import current_consent as current

    return current(page)


def __getattr__(name):
    # `from sixdegree_cases.privacy import PrivacyReport, Finding, Severity` for callers' type hints.
    if name in ("PrivacyReport", "Finding", "Severity"):
        from . import report

        return getattr(report, name)
    raise AttributeError(name)
