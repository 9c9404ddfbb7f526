"""A case taken offline takes its updates with it: they tell the same survivor's story.

Whatever unpublishes a case (an editor, an alert's "Unpublish now", the privacy audit, a view
restriction path), its live updates are unpublished in the same transaction. Bringing the case
back does not bring them back: each goes live again only through its own review.

A live update never moves to another case: it was reviewed with its own case's sensitive terms
and consent, and under another (or a draft) case it would be live unchecked.
"""

import logging

from wagtail.actions.unpublish_page import UnpublishPageAction
from wagtail.models import Page
from wagtail.signals import page_unpublished, pre_page_move

logger = logging.getLogger(__name__)
DISPATCH_UID = "sixdegree_updates_follow_their_case"


def unpublish_updates_of_case(sender, instance, **kwargs):
    for page in Page.objects.descendant_of(instance).live().specific():
        UnpublishPageAction(page, user=None, log_action=True).execute(skip_permission_checks=True)
        logger.info("Update %s unpublished with its case %s", page.pk, instance.pk)


def refuse_moving_a_live_update(sender, instance, parent_page_before=None, parent_page_after=None, **kwargs):
    """`pre_page_move` of an update: a live one stays under the case it was reviewed with."""
    from django.utils.translation import gettext as _

    from ..review.guard import UnreviewedRevisionError

    if parent_page_after is None or parent_page_before is None:
        return
    if parent_page_after.pk == parent_page_before.pk:
        return
    if Page.objects.filter(pk=instance.pk, live=True).exists():
        raise UnreviewedRevisionError(
            _(
                "Not moved: this update was reviewed with its own case's sensitive terms and "
                "consent. Unpublish it first; under its new case it goes live again only through "
                "a review."
            )
        )


def connect():
    from ..models import CaseUpdate, SurvivorCasePage

    page_unpublished.connect(unpublish_updates_of_case, sender=SurvivorCasePage, dispatch_uid=DISPATCH_UID)
    pre_page_move.connect(
        refuse_moving_a_live_update, sender=CaseUpdate, dispatch_uid="sixdegree_updates_stay_with_their_case"
    )
