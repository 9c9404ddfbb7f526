"""Withdrawal of consent: one action that takes the story down and erases it everywhere at once.

What stays: the page rows (so donations keep their case), funding items with their category
and amount, the consent ledger marked withdrawn, and who decided what when (log entries, review
decisions) without a word of the story. Everything else that held the story's text is blanked,
overwritten or deleted (GDPR Art. 17), in every copy and alias of the case too.

The order protects the survivor if something fails: everything in the database happens in one
transaction that first unpublishes every page of the story, so it all happens or nothing does;
files are deleted only after that commits, and a storage that fails leaves its files listed
on the withdrawal for a retry, never the story online.
"""

import logging

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log
from wagtail.models import Page, Revision

from ... import get_case_model
from ..models import CaseWithdrawal, ConsentRecord, SensitiveTerm
from ..signals import consent_withdrawn
from . import media, pages, traces
from .family import story_family, story_pages_below
from .pages import withdrawn_title

__all__ = ["LOG_ACTION", "WITHDRAW_PERMISSION", "WithdrawalError", "withdraw_consent", "withdrawn_title"]

logger = logging.getLogger(__name__)

WITHDRAW_PERMISSION = "sixdegree_privacy.withdraw_consent"
LOG_ACTION = "sixdegree_privacy.withdraw_consent"


class WithdrawalError(ValidationError):
    """Consent cannot be withdrawn (already withdrawn, or not a case); nothing was changed."""


def _case(page):
    SurvivorCasePage = get_case_model()

    page = page.specific if type(page) is Page else page
    if not isinstance(page, SurvivorCasePage) or page.pk is None:
        raise WithdrawalError(_("Only a saved survivor's case can be withdrawn."))
    return page


def _story_words(family, revisions, terms):
    """The words by which the story is recognised where no id links it (task results)."""
    words = list(terms)
    for member in family:
        words += [member.title, member.draft_title, member.slug, getattr(member, "pseudonym", "")]
    for revision in revisions:
        content = revision.content or {}
        words += [revision.object_str, content.get("title"), content.get("slug"), content.get("pseudonym")]
    return traces.needles(words)


def _erase_terms(family):
    """Delete the cases' sensitive terms (their purpose, blocking the story, ended with it) and
    the masked labels their audit log entries keep."""
    terms = SensitiveTerm.objects.filter(case_id__in=[member.pk for member in family])
    traces.erase_model_log(
        SensitiveTerm, list(terms.values_list("pk", flat=True)), _("Sensitive term (erased)")
    )
    terms.delete()


def _after_commit(family):
    from modelsearch import index

    for member in family:
        # An external search backend is updated outside the transaction.
        index.remove_object(member)
    if apps.is_installed("wagtail.contrib.frontend_cache"):
        from wagtail.contrib.frontend_cache.utils import purge_page_from_cache

        for member in family:
            purge_page_from_cache(member)


def _record(member, user, reason, now):
    records = ConsentRecord.objects.filter(case_id=member.pk)
    records.current().update(withdrawn_at=now, withdrawn_by=user)
    # The ledger keeps when, for what and by whom; free-text notes may tell the story.
    records.update(notes="")
    withdrawal, _created = CaseWithdrawal.objects.get_or_create(
        case_id=member.pk, defaults={"withdrawn_at": now, "withdrawn_by": user, "reason": reason}
    )
    return withdrawal


def withdraw_consent(page, user, reason=""):
    """Withdraw the survivor's consent to publish `page` and erase its story, all at once.

    The story's pages are the case, every copy of it (and the page it was copied from) and
    every alias, found by `family.story_family`. For each of them:

    - unpublishes it and cancels any review in progress;
    - blanks it (title "Withdrawn case #<id>", no pseudonym, summary, story or dream);
    - deletes its comments and replies, overwrites every revision with the blank shell, keeps
      its log entries and review decisions (who, what action, when) without their words;
    - deletes the admin's stored previews, its search and reference index entries, its
      sensitive terms, and the task results and redirects that quote it;
    - marks its consent withdrawn and records a `CaseWithdrawal`.

    The pages below them (the case's updates) are unpublished, blanked and erased the same way.

    Images any of them showed (in any revision) that no other page uses are deleted with
    their renditions; images other pages use lose their renditions. Files go after the commit.
    Funding items keep their category and amount, donations their amount, date and case.

    Raises `WithdrawalError` when the case was already withdrawn, `PermissionDenied` when
    `user` may not withdraw consent; nothing changes then. Should anything else fail, nothing
    is erased but every page of the story is still taken offline, and the error is raised.
    Returns the case's `CaseWithdrawal`.
    """
    if user is not None and not user.has_perm(WITHDRAW_PERMISSION):
        raise PermissionDenied(_("You may not withdraw consent."))
    page = _case(page)
    try:
        return _withdraw(page, user, reason)
    except WithdrawalError:
        raise
    except Exception:
        # Nothing was erased (the transaction rolled back), but the survivor asked for the
        # story to go: it goes offline now, and the withdrawal can be run again.
        take_offline(page, user)
        raise


def take_offline(page, user):
    """Unpublish every page of the story, in a transaction of its own. Never raises."""
    try:
        with transaction.atomic():
            family = story_family(page)
            for member in family + story_pages_below(family):
                pages.unpublish(member, user)
    except Exception:
        logger.exception("Could not take case %s offline after a failed withdrawal.", page.pk)


def _withdraw(page, user, reason):
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
        family = story_family(page)
        # Every page below the story's pages (its updates: what happened next) goes with it.
        below = story_pages_below(family)
        ids = [member.pk for member in family + below]
        list(Page.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk"))
        revisions = list(
            Revision.objects.filter(
                base_content_type=page.get_base_content_type(), object_id__in=[str(pk) for pk in ids]
            )
        )
        used_images = media.images_ever_used(family + below, revisions)
        terms = []
        for term in SensitiveTerm.objects.filter(case_id__in=ids):
            terms += [term.term, *getattr(term, "variant_list", [])]
        words = _story_words(family + below, revisions, terms)

        # First of all, offline: nothing below may leave any of it published.
        for member in family + below:
            pages.unpublish(member, user)
        for member in family + below:
            member.refresh_from_db()
            pages.erase_comments(member)
            pages.blank(member)
            pages.erase_revisions(member)
            pages.erase_workflow_text(member)
            pages.erase_indexes(member)
        neutral = withdrawn_title(page)
        files = media.erase_images(used_images, ids, neutral)
        pages.erase_previews(family + below)
        _erase_terms(family)
        traces.erase_task_results(words)
        traces.erase_redirects(ids, words)

        now = timezone.now()
        withdrawals = {
            member.pk: _record(member, user, reason if member.pk == page.pk else "", now) for member in family
        }
        withdrawal = withdrawals[page.pk]
        for member in family:
            log(instance=member, action=LOG_ACTION, user=user)
            # Receivers erase their own copies of the story (review reports, caches).
            consent_withdrawn.send(
                sender=type(member), page=member, user=user, withdrawal=withdrawals[member.pk]
            )
        for member in below:
            log(instance=member, action=LOG_ACTION, user=user)
            consent_withdrawn.send(sender=type(member), page=member, user=user, withdrawal=withdrawal)
        # Log entries last: unpublishing, cancelling and the receivers above log too.
        by_id = {member.pk: withdrawn_title(member) for member in family + below}
        traces.erase_page_log(ids, by_id.__getitem__)
        traces.erase_deleted_pages_log(words)

        transaction.on_commit(lambda: _after_commit(family + below))
        media.delete_files_after_commit(withdrawal, files)
    return withdrawal
