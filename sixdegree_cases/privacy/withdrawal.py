"""Withdrawal of consent: one action that takes the story down and erases it everywhere at once.

What stays: the page row itself (so funding and donation records keep their case), its funding
items with their categories and amounts, and the consent ledger marked withdrawn. Everything
that held the story's text is blanked, overwritten or deleted (GDPR Art. 17).
"""

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from modelsearch import index
from wagtail.actions.unpublish_page import UnpublishPageAction
from wagtail.images.models import AbstractImage
from wagtail.log_actions import log
from wagtail.models import Comment, ModelLogEntry, Page, PageLogEntry, Revision, TaskState, WorkflowState

from .extract import images
from .models import CaseWithdrawal, ConsentRecord, SensitiveTerm
from .signals import consent_withdrawn

WITHDRAW_PERMISSION = "sixdegree_privacy.withdraw_consent"
LOG_ACTION = "sixdegree_privacy.withdraw_consent"
# Log entry data keys that can hold a page's words (titles, slugs, reviewers' comments).
TEXT_KEYS = {"title", "old", "new", "comment", "slug", "url_path", "draft_title", "seo_title"}


class WithdrawalError(ValidationError):
    """Consent cannot be withdrawn (already withdrawn, or not a case); nothing was changed."""


def withdrawn_title(page):
    return str(_("Withdrawn case #%(id)s") % {"id": page.pk})


def _case(page):
    from ..models import SurvivorCasePage

    page = page.specific if type(page) is Page else page
    if not isinstance(page, SurvivorCasePage) or page.pk is None:
        raise WithdrawalError(_("Only a saved survivor's case can be withdrawn."))
    return page


def _images_ever_used(page, revisions):
    """Every image the page or any of its revisions shows (drafts may use other illustrations)."""
    found = {used.image.pk: used.image for used in images(page)}
    for revision in revisions:
        try:
            snapshot = revision.as_object()
        except Exception:  # noqa: S112 - an unreadable old revision is overwritten below anyway
            continue
        found.update((used.image.pk, used.image) for used in images(snapshot))
    return [image for image in found.values() if isinstance(image, AbstractImage)]


def _blank(page):
    """Put the page in its neutral withdrawn state: no title, pseudonym or story text remains."""
    title = withdrawn_title(page)
    page.title = page.draft_title = title
    page.seo_title = page.search_description = ""
    page.pseudonym = page.summary = page.dream = page.origin = page.age_group = ""
    page.story = []
    page.live = page.has_unpublished_changes = page.locked = False
    page.live_revision = page.locked_by = page.locked_at = None
    page.go_live_at = page.expire_at = None
    # The slug and path are updated without Page.save(), which would record the old path in an
    # automatic redirect.
    page.save(clean=False, update_fields=_saved_fields(page))
    slug = f"withdrawn-{page.pk}"
    parent = page.get_parent()
    url_path = f"{parent.url_path}{slug}/" if parent else f"/{slug}/"
    Page.objects.filter(pk=page.pk).update(slug=slug, url_path=url_path)
    page.slug, page.url_path = slug, url_path
    for item in page.funding_items.all():
        # Kept for accounting: the category and amount, not the story told in the description.
        item.description = str(item.get_category_display())
        item.save(update_fields=["description"])


def _saved_fields(page):
    """Every field but the tree's and the slug's (those are written by `_blank` itself)."""
    names = [field.name for field in page._meta.concrete_fields if not field.primary_key]
    return [name for name in names if name not in ("slug", "url_path", "path", "depth", "numchild")]


def _redact(data, neutral):
    """A copy of log entry data with every value that can hold page text replaced."""
    if isinstance(data, dict):
        return {
            key: (neutral if key in TEXT_KEYS and isinstance(value, str) else _redact(value, neutral))
            for key, value in data.items()
        }
    if isinstance(data, list):
        return [_redact(value, neutral) for value in data]
    return data


def _erase_history(page, revisions, neutral):
    """Overwrite every revision, log entry and review comment with the neutral shell."""
    page = Page.objects.get(pk=page.pk).specific
    shell = page.serializable_data()
    revisions.update(content=shell, object_str=neutral, approved_go_live_at=None)
    for entry in PageLogEntry.objects.filter(page_id=page.pk):
        entry.label = neutral
        entry.data = _redact(entry.data, neutral)
        entry.save(update_fields=["label", "data"])
    workflow_states = WorkflowState.objects.for_instance(page)
    TaskState.objects.filter(workflow_state__in=workflow_states).update(comment="")
    Comment.objects.filter(page_id=page.pk).delete()
    if apps.is_installed("wagtail.contrib.redirects"):
        from wagtail.contrib.redirects.models import Redirect

        Redirect.objects.filter(redirect_page_id=page.pk).delete()


def _erase_terms(page):
    """Delete the case's sensitive terms: their purpose (blocking the story) ended with it.

    Their audit log entries keep only a masked label; that goes too.
    """
    terms = SensitiveTerm.objects.filter(case_id=page.pk)
    ModelLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(SensitiveTerm),
        object_id__in=[str(pk) for pk in terms.values_list("pk", flat=True)],
    ).update(label=str(_("Sensitive term (erased)")), data={})
    terms.delete()


def _cancel_workflows(page, user):
    for state in WorkflowState.objects.for_instance(page).active():
        state.cancel(user=user)


def _after_commit(page):
    index.remove_object(page)
    if apps.is_installed("wagtail.contrib.frontend_cache"):
        from wagtail.contrib.frontend_cache.utils import purge_page_from_cache

        purge_page_from_cache(page)


def withdraw_consent(page, user, reason=""):
    """Withdraw the survivor's consent to publish `page` and erase its story, all at once.

    - unpublishes the case (and deletes its aliases); cancels any review in progress;
    - blanks the page (title "Withdrawn case #<id>", no pseudonym, summary, story or dream);
    - overwrites every revision, log entry label and review comment with that neutral shell;
    - deletes the renditions of every image the page or any revision showed, and its
      sensitive terms (their purpose ended with the story);
    - removes the page from the search index (and from a front-end cache, if one is set up);
    - marks every current consent record withdrawn and records the withdrawal.

    Funding items keep their category and amount for accounting. Everything runs in one
    transaction: it happens entirely or not at all. Raises `WithdrawalError` when the case was
    already withdrawn, `PermissionDenied` when `user` may not withdraw consent.
    Returns the `CaseWithdrawal`.
    """
    if user is not None and not user.has_perm(WITHDRAW_PERMISSION):
        raise PermissionDenied(_("You may not withdraw consent."))
    page = _case(page)
    with transaction.atomic():
        # Locks the page row: two withdrawals at once wait for each other.
        Page.objects.select_for_update().filter(pk=page.pk).first()
        previous = CaseWithdrawal.objects.filter(case_id=page.pk).first()
        if previous:
            raise WithdrawalError(
                _("Consent for this case was already withdrawn on %(date)s; its story is erased.")
                % {"date": date_format(timezone.localtime(previous.withdrawn_at))},
                code="already_withdrawn",
            )
        page = type(page).objects.get(pk=page.pk)
        revisions = Revision.objects.for_instance(page)
        used_images = _images_ever_used(page, revisions)

        if page.live:
            UnpublishPageAction(page, user=user, log_action=True).execute(skip_permission_checks=True)
        for alias in Page.objects.filter(alias_of_id=page.pk):
            alias.delete()

        _blank(page)
        _cancel_workflows(page, user)
        neutral = withdrawn_title(page)
        _erase_history(page, revisions, neutral)

        for image in used_images:
            for rendition in image.renditions.all():
                rendition.delete()
        _erase_terms(page)

        now = timezone.now()
        ConsentRecord.objects.filter(case_id=page.pk).current().update(withdrawn_at=now, withdrawn_by=user)
        withdrawal = CaseWithdrawal.objects.create(
            case=page, withdrawn_at=now, withdrawn_by=user, reason=reason
        )
        log(instance=page, action=LOG_ACTION, user=user)

        transaction.on_commit(lambda: _after_commit(page))
        consent_withdrawn.send(sender=type(page), page=page, user=user, withdrawal=withdrawal)
    return withdrawal
