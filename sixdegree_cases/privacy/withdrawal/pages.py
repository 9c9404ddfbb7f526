"""Erasing a story page: its fields, revisions, comments, previews, workflow and indexes."""

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelsearch import index
from wagtail.actions.unpublish_page import UnpublishPageAction
from wagtail.admin.models import FormState
from wagtail.fields import StreamField
from wagtail.images.models import AbstractImage
from wagtail.models import Comment, Page, ReferenceIndex, Revision, TaskState, WorkflowState

# Fields of a case page that stay: what accounting needs, and what holds no words.
KEPT_FIELDS = {"currency", "funding_target", "launch_date"}


def withdrawn_title(page):
    return str(_("Withdrawn case #%(id)s") % {"id": page.pk})


def unpublish(page, user):
    """Take the page offline (its aliases follow), cancel its reviews in progress."""
    if page.live:
        UnpublishPageAction(page, user=user, log_action=True).execute(skip_permission_checks=True)
    for state in WorkflowState.objects.for_instance(page).active():
        state.cancel(user=user)


def own_text_fields(page):
    """The page type's own fields that can hold words (every type added later included)."""
    page_fields = {field.name for field in Page._meta.concrete_fields}
    for field in type(page)._meta.concrete_fields:
        if field.name in page_fields or field.name in KEPT_FIELDS or field.primary_key:
            continue
        if isinstance(field, StreamField | models.CharField | models.TextField | models.JSONField):
            yield field


def _saved_fields(page):
    """Every field but the tree's and the slug's (those are written by `blank` itself)."""
    names = [field.name for field in page._meta.concrete_fields if not field.primary_key]
    return [name for name in names if name not in ("slug", "url_path", "path", "depth", "numchild")]


def blank(page):
    """Put the page in its neutral withdrawn state: no title, pseudonym or story text remains."""
    title = withdrawn_title(page)
    page.title = page.draft_title = title
    page.seo_title = page.search_description = ""
    for field in own_text_fields(page):
        if isinstance(field, StreamField):
            setattr(page, field.attname, [])
        elif field.null:
            setattr(page, field.attname, None)
        else:
            setattr(page, field.attname, field.get_default() if isinstance(field, models.JSONField) else "")
    for field in type(page)._meta.concrete_fields:
        # An image chosen on the page (an update's illustration) says which picture it showed.
        if isinstance(field, models.ForeignKey) and issubclass(field.related_model, AbstractImage):
            setattr(page, field.attname, None)
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
    for item in getattr(page, "funding_items", Page.objects.none()).all():
        # Kept for accounting: the category and amount, not the story told in the description.
        item.description = str(item.get_category_display())
        item.save(update_fields=["description"])


def erase_comments(page):
    """Delete the page's comments and their replies (cascading)."""
    Comment.objects.filter(page_id=page.pk).delete()


def erase_revisions(page):
    """Overwrite every revision of the (already blanked) page with its neutral shell."""
    page = Page.objects.get(pk=page.pk).specific
    shell = page.serializable_data()
    # Comments are a child relation of every page: a shell must never carry them back.
    shell["comments"] = []
    Revision.objects.for_instance(page).update(
        content=shell, object_str=withdrawn_title(page), approved_go_live_at=None
    )


def erase_workflow_text(page):
    """Blank the comments of every task of the page's workflows (who and when stay)."""
    states = WorkflowState.objects.for_instance(page)
    TaskState.objects.filter(workflow_state__in=states).update(comment="")


def erase_previews(pages):
    """Delete the admin's stored preview data of these pages, of every unsaved new case and of
    every deleted case.

    Wagtail keeps each editor's preview form data (the whole form: story, unsnapped points)
    for a day. A new page's preview has no page id yet, and a deleted page's none any more, so
    none of those can be told apart from this story's: all of them are dropped (an editor
    writing a new case previews again on the next keystroke).
    """
    from .family import case_models

    page_types = ContentType.objects.get_for_models(
        *{type(page) for page in pages}, for_concrete_models=False
    )
    FormState.objects.filter(
        content_type__in=page_types.values(), object_id__in=[str(page.pk) for page in pages]
    ).delete()
    case_types = ContentType.objects.get_for_models(*case_models(), for_concrete_models=False)
    case_previews = FormState.objects.filter(content_type__in=case_types.values())
    case_previews.filter(object_id="").delete()
    # A deleted page (a discarded copy) leaves its previews behind, with nothing to tie them to.
    referenced = {int(pk) for pk in case_previews.values_list("object_id", flat=True) if pk.isdigit()}
    existing = {str(pk) for pk in Page.objects.filter(pk__in=referenced).values_list("pk", flat=True)}
    case_previews.exclude(object_id__in=existing).delete()


def erase_indexes(page):
    """Drop the page from the search index and the reference index."""
    index.remove_object(page)
    ReferenceIndex.remove_for_object(page)
