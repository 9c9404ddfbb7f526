"""Whether a case takes gifts now: fundraising (the case officer's status) and not fully
funded. One rule for the donate form, the sticky button, the giving API, the pay step, the home
page's default list and the API's `accepts_gifts`.

A leaf of the plugin's import graph: the case model asks it, so it imports no page model.
"""

from django.db.models import F, Q
from django.utils.translation import gettext_lazy

from ..updates.lifecycle import CaseStatus, lifecycle_of
from .progress import progress_for

FUNDED_MESSAGE = gettext_lazy("This case is fully funded. Thank you! The donation form is closed.")
# The case officer moved the case past "fundraising" (funded, in progress, completed).
NOT_RAISING_MESSAGE = gettext_lazy(
    "This case is no longer raising funds. Thank you! The donation form is closed."
)


def raising_funds(case):
    """True while the case officer has the case at "fundraising" (no lifecycle row: it is).

    Reads the lifecycle loaded with the case (`with_funding`, `prefetch_cases`), else one query.
    """
    return lifecycle_of(case).status == CaseStatus.FUNDRAISING


def closed_message(case):
    """Why `case` takes no gift now, in words for the donor, or "" while it takes them."""
    if progress_for(case).fully_funded:
        return str(FUNDED_MESSAGE)
    if not raising_funds(case):
        return str(NOT_RAISING_MESSAGE)
    return ""


def taking_gifts(queryset):
    """The cases of `queryset` that take gifts: at "fundraising" and not fully funded (the
    rule of `closed_message`, in SQL)."""
    fundraising = Q(lifecycle__isnull=True) | Q(lifecycle__status=CaseStatus.FUNDRAISING)
    under_target = (
        Q(funding_target__isnull=True)
        | Q(funding_target__lte=0)
        | Q(funding__isnull=True)
        | Q(funding__raised__lt=F("funding_target"))
    )
    return queryset.filter(fundraising & under_target)
