"""A case taken offline takes its updates with it: they tell the same survivor's story.

Whatever unpublishes a case (an editor, an alert's "Unpublish now", the privacy audit, a view
restriction path), its live updates are unpublished in the same transaction. Bringing the case
back does not bring them back: each goes live again only through its own review.
"""

import logging

from wagtail.actions.unpublish_page import UnpublishPageAction
from wagtail.models import Page
from wagtail.signals import page_unpublished

logger = logging.getLogger(__name__)
DISPATCH_UID = "sixdegree_updates_follow_their_case"


def unpublish_updates_of_case(sender, instance, **kwargs):
    for page in Page.objects.descendant_of(instance).live().specific():
        UnpublishPageAction(page, user=None, log_action=True).execute(skip_permission_checks=True)
        logger.info("Update %s unpublished with its case %s", page.pk, instance.pk)


def connect():
    from ..models import SurvivorCasePage

    page_unpublished.connect(unpublish_updates_of_case, sender=SurvivorCasePage, dispatch_uid=DISPATCH_UID)
