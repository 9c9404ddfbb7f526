"""Who sees a case's private side: case officers (edit) and privacy reviewers (read)."""

from .. import get_case_model

VIEW_TERMS = "sixdegree_privacy.view_sensitiveterm"
VIEW_CONSENT = "sixdegree_privacy.view_consentrecord"
ADD_TERMS = "sixdegree_privacy.add_sensitiveterm"
ADD_CONSENT = "sixdegree_privacy.add_consentrecord"
WITHDRAW = "sixdegree_privacy.withdraw_consent"


def can_see_privacy(user):
    """Case officers and privacy reviewers: anyone who may read the terms or the consent ledger."""
    return bool(user and (user.has_perm(VIEW_TERMS) or user.has_perm(VIEW_CONSENT)))


def is_case(page):
    return issubclass(page.specific_class or type(page), get_case_model())
