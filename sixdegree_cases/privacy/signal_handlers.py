"""Nothing writes a withdrawn story back: the hard stop behind the admin's refusal.

An editor who had the case open when consent was withdrawn still holds the whole story in her
browser, and Wagtail autosaves the form (every half second by default) and posts it to the
preview panel. Each of those writes a revision or a stored preview; for a withdrawn case both
are refused here, whatever the path (admin, autosave, revert, scripts). The withdrawal itself
overwrites revisions with `QuerySet.update()`, which sends no signal.
"""

from django.core.exceptions import PermissionDenied
from django.db.models.signals import pre_save
from django.utils.translation import gettext as _

from .models import CaseWithdrawal
from .withdrawal.family import case_models
from .withdrawal.pages import own_text_fields, withdrawn_title

DISPATCH = "sixdegree_privacy-withdrawn"


class WithdrawnCaseError(PermissionDenied):
    """Something tried to store content of a case whose consent was withdrawn."""


def refusal():
    return WithdrawnCaseError(
        _("Consent for this case was withdrawn and its story erased: it cannot be edited or previewed.")
    )


def _withdrawn_case_id(content_type_id, object_id):
    from django.contrib.contenttypes.models import ContentType

    if not object_id or not str(object_id).isdigit():
        return None
    case_types = ContentType.objects.get_for_models(*case_models(), for_concrete_models=False).values()
    if content_type_id not in {content_type.pk for content_type in case_types}:
        return None
    exists = CaseWithdrawal.objects.filter(case_id=int(object_id)).exists()
    return int(object_id) if exists else None


def refuse_revision(sender, instance, raw=False, **kwargs):
    if not raw and _withdrawn_case_id(instance.content_type_id, instance.object_id):
        raise refusal()


def refuse_preview(sender, instance, raw=False, **kwargs):
    if not raw and _withdrawn_case_id(instance.content_type_id, instance.object_id):
        raise refusal()


def _is_blank(page):
    if page.title != withdrawn_title(page) or page.seo_title or page.search_description:
        return False
    return not any(getattr(page, field.attname) for field in own_text_fields(page))


def refuse_case_content(sender, instance, raw=False, **kwargs):
    """A withdrawn case stays offline and blank: a save that would publish it or put words back
    (an approval racing the withdrawal, a stale instance, a script) is refused."""
    if raw or instance.pk is None or not _withdrawn_case_id(instance.content_type_id, instance.pk):
        return
    if instance.live or not _is_blank(instance):
        raise refusal()


def connect():
    from wagtail.admin.models import FormState
    from wagtail.models import Page, Revision

    pre_save.connect(refuse_revision, sender=Revision, dispatch_uid=f"{DISPATCH}-revision")
    pre_save.connect(refuse_preview, sender=FormState, dispatch_uid=f"{DISPATCH}-preview")
    # A plain `Page` instance of a case writes the case's row too.
    for model in [Page, *case_models()]:
        pre_save.connect(refuse_case_content, sender=model, dispatch_uid=f"{DISPATCH}-{model._meta.label}")
