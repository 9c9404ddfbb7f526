"""The publishing guard: a page's content can be live only as a privacy reviewer approved it.

`assert_revision_approved` is the one rule. It runs early on every publish of a reviewed page
(`ReviewedPublishingMixin.publish` for cases, the same code installed on `Page` for every other
reviewed page type; `Revision.publish`, bulk publish, scheduled publishing and the workflow all
call it) and, as the hard stop, whenever such a page is saved live (`check_live_save`, from the
mixin's `save()` and a `pre_save` receiver for every other page), so a path that skips
`publish()` is refused too.

Which pages are reviewed: cases always (`ReviewedPublishingMixin`), and every other page type
of the public tree named by `SIXDEGREE_REVIEWED_PAGE_TYPES` (all of them by default: a home page
or a case index carries editorial text that can name a survivor as well as a case can). A page
type left out of review still passes the blocking privacy checks before it goes live.
"""

import logging

from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from ..conf import get_setting
from .audience import covers, view_restriction_pins
from .checks import run_checks_on_page
from .constants import LOG_PUBLISH_REFUSED
from .fingerprint import content_fingerprint, guarded_field_names
from .records import ReviewApproval

logger = logging.getLogger(__name__)


# Set on `ReviewedPublishingMixin`: its page types ask for approval in their own `publish()`.
REVIEWED_PUBLISHING_MARK = "sixdegree_reviewed_publishing"


class UnreviewedRevisionError(PermissionDenied):
    """Something would make a case live with content that no privacy reviewer approved."""


class WiderAudienceError(UnreviewedRevisionError):
    """The approved content would be readable by more people than the reviewer approved."""


def refusal_message():
    return _(
        "Not published: a case goes live only when a privacy reviewer approves exactly this "
        "version. Submit it to privacy review instead."
    )


def has_review_mixin(model):
    """True for page models that guard their own publishing (cases): those with
    `mixins.ReviewedPublishingMixin`, which marks its classes so that this module, below it,
    need not import it (tests/review/test_publish_paths.py holds every marked model to the
    mixin)."""
    return model is not None and getattr(model, REVIEWED_PUBLISHING_MARK, False) is True


def is_reviewed_model(model):
    """True for page models whose publishing needs a privacy review.

    Cases always; other page types as `SIXDEGREE_REVIEWED_PAGE_TYPES` says ("__all__" by
    default, or a list of "app_label.ModelName"). The setting is a Django setting, not an admin
    one, so nobody can switch the review off from the admin.
    """
    from wagtail.models import Page

    if model is None or not isinstance(model, type) or not issubclass(model, Page):
        return False
    if has_review_mixin(model):
        return True
    reviewed = get_setting("SIXDEGREE_REVIEWED_PAGE_TYPES")
    if reviewed == "__all__":
        return True
    return model._meta.label_lower in {label.lower() for label in reviewed}


def is_checked_model(model):
    """True for page models of the public tree: all of them pass the blocking checks."""
    from wagtail.models import Page

    return model is not None and isinstance(model, type) and issubclass(model, Page)


def blocking_findings_refusal(page):
    """Raise `UnreviewedRevisionError` if the automated checks block `page` as it would go live."""

    report = run_checks_on_page(page)
    if report.blocking:
        raise UnreviewedRevisionError(
            _(
                "Not published: the privacy checks found %(count)d blocking finding(s) on this "
                "page (%(where)s). Remove them and publish again."
            )
            % {
                "count": report.blocking_count,
                "where": "; ".join(
                    f"{finding.where}: {finding.masked}" for finding in report.blocking_findings
                ),
            }
        )


def approvals_of(revision):
    return ReviewApproval.objects.filter(revision_id=revision.pk, page_id=revision.object_id)


def assert_revision_approved(revision, content=None):
    """Return the approval of `revision`, or raise `UnreviewedRevisionError`.

    `content` is the page instance about to go live (the revision's own content by default);
    its public content must be exactly what the reviewer approved: a revision overwritten
    after its approval is refused.
    """
    if revision is None or revision.pk is None:
        raise UnreviewedRevisionError(refusal_message())
    approvals = approvals_of(revision)
    if not approvals.exists():
        raise UnreviewedRevisionError(refusal_message())
    content = content if content is not None else revision.as_object()
    matching = list(approvals.filter(content_fingerprint=content_fingerprint(content)))
    if not matching:
        raise UnreviewedRevisionError(
            _(
                "Not published: this version changed after the privacy reviewer approved it. "
                "Submit it to privacy review again."
            )
        )
    # "Exactly what was approved" includes who may read it (see `audience`).

    readers = view_restriction_pins(content) if getattr(content, "path", "") else []
    for approval in matching:
        if approval.view_restrictions is None or covers(readers, approval.view_restrictions):
            return approval
    raise WiderAudienceError(
        _(
            "Not published: more people could read this version now than when the privacy "
            "reviewer approved it (a view restriction was removed or loosened). Restore its "
            "privacy, or submit it to privacy review again."
        )
    )


def _candidate(instance, model, stored, update_fields):
    """The specific page as it will be stored once `instance` is saved."""
    if isinstance(instance, model) and update_fields is None:
        return instance
    if stored is None:
        raise UnreviewedRevisionError(refusal_message())
    candidate = model.objects.get(pk=stored.pk)
    if update_fields is None:
        # A plain Page instance writes every Page field.
        names = [page_field.attname for page_field in type(instance)._meta.concrete_fields]
    else:
        names = list(update_fields)
    relation_names = {rel.get_accessor_name() for rel in model._meta.related_objects}
    for name in names:
        if name in relation_names:
            setattr(candidate, name, list(getattr(instance, name).all()))
            continue
        try:
            attname = model._meta.get_field(name).attname
        except FieldDoesNotExist:
            continue
        if hasattr(instance, attname):
            setattr(candidate, attname, getattr(instance, attname))
    return candidate


def check_live_save(instance, update_fields=None):
    """Refuse to save a case live unless its content is an approved revision's.

    Saving changes nothing public (same live revision, same content) is always allowed, so
    moving, locking or re-saving a live case needs no new review.
    """
    if not instance.live or instance.depth == 1:
        # The tree's root is never served.
        return
    model = instance.specific_class
    if not is_checked_model(model):
        return
    if update_fields is not None and not set(update_fields) & guarded_field_names(model):
        return
    stored = model.objects.filter(pk=instance.pk).first() if instance.pk else None
    candidate = _candidate(instance, model, stored, update_fields)
    if not is_reviewed_model(model):
        if stored is None or not stored.live or content_fingerprint(stored) != content_fingerprint(candidate):
            blocking_findings_refusal(candidate)
        return
    if candidate.alias_of_id:
        raise UnreviewedRevisionError(
            _("A case cannot be an alias: copy it as a draft and submit the copy to privacy review.")
        )
    if (
        stored is not None
        and stored.live
        and stored.live_revision_id == candidate.live_revision_id
        and content_fingerprint(stored) == content_fingerprint(candidate)
    ):
        return
    # A page type may add a condition of its own (a case update: its case is live).
    refuse = getattr(candidate, "refuse_to_go_live", None)
    if refuse is not None:
        refuse()
    revision = candidate.live_revision if candidate.live_revision_id else None
    assert_revision_approved(revision, content=candidate)


def refuse_scheduled_publication(revision, error):
    """Cancel a scheduled go-live of an unapproved revision, and say so in the logs.

    `publish_scheduled` publishes every due revision in one loop: raising here would stop the
    other pages' scheduled publishing too, so the refusal is logged (audit log and error log)
    and the schedule is removed.
    """
    from wagtail.models import Revision

    Revision.objects.filter(pk=revision.pk).update(approved_go_live_at=None)
    page = revision.content_object
    log(
        instance=page,
        action=LOG_PUBLISH_REFUSED,
        revision=revision,
        data={"path": "scheduled", "reason": str(error.args[0] if error.args else error)},
    )
    logger.error(
        "Refused the scheduled publication of revision %s of page %s: %s", revision.pk, page.pk, error
    )
