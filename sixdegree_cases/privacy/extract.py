"""Read every public text and image of a page (or of a revision's page) in one place.

Every text check reads `texts(page)`, so a field added to the public allow-list is checked by
all of them once it is listed here.
"""

import re
from dataclasses import dataclass

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.translation import gettext as _
from modelcluster.models import get_all_child_relations
from wagtail import blocks
from wagtail.fields import RichTextField, StreamField
from wagtail.images.blocks import ImageBlock, ImageChooserBlock
from wagtail.images.models import AbstractImage
from wagtail.models import COMMENTS_RELATION_NAME, Page
from wagtail.rich_text import RichText

from .. import get_case_model, get_update_model
from .text import html_to_text

# The public text fields of a case, in the order an editor meets them. Internal fields (the
# case officer's reference) are left out on purpose: they are never published.
CASE_FIELDS = [
    "title",
    "slug",
    "pseudonym",
    "origin",
    "summary",
    "story",
    "dream",
    "funding_items",
    "seo_title",
    "search_description",
]
# Other page types (the case index): Wagtail's own public fields and their API fields.
BASE_FIELDS = ["title", "slug", "seo_title", "search_description"]
FIELD_LABELS = {"seo_title": "SEO title", "search_description": "Search description"}
# A name given by `images.sanitise.random_name` (32 random hex digits) says nothing, and its
# digit runs would read as ID numbers: only other names (older uploads) are checked.
RANDOM_FILE_NAME = re.compile(r"^[0-9a-f]{32}\.[a-z0-9]+$")
# A rich-text link to a page, as stored: `<a linktype="page" id="12">`, attributes in any order.
PAGE_LINK = re.compile(r"""<a\b(?=[^>]*\blinktype=["']page["'])[^>]*\sid=["'](\d+)["']""")
# Block children whose values are fixed choices or coordinates, not free text.
SKIPPED_BLOCKS = (blocks.ChoiceBlock, blocks.BooleanBlock)


@dataclass(frozen=True)
class Text:
    """A piece of public text: where it is (for people), which field (for code), and the text."""

    where: str
    field: str
    text: str


@dataclass(frozen=True)
class UsedImage:
    """An image the page shows, and where."""

    where: str
    field: str
    image: AbstractImage


# The page's own public fields; the fingerprint (review.fingerprint) covers the same ones.
PAGE_CONTENT_FIELDS = ("title", "slug", "seo_title", "search_description")


def content_fields(model):
    """The concrete fields of `model` that hold public content."""
    fields = [Page._meta.get_field(name) for name in PAGE_CONTENT_FIELDS]
    for model_field in model._meta.concrete_fields:
        if model_field.model is Page or model_field.primary_key:
            continue
        if model_field.remote_field and model_field.remote_field.parent_link:
            continue
        fields.append(model_field)
    return fields


def child_relations(model):
    return [
        relation
        for relation in get_all_child_relations(model)
        if relation.get_accessor_name() != COMMENTS_RELATION_NAME
    ]


def _is_case(page):
    SurvivorCasePage = get_case_model()

    return isinstance(page, SurvivorCasePage)


def _field_names(page):
    if _is_case(page):
        return CASE_FIELDS
    # Any other page type (the home page, an index, a host's own pages): every text field its
    # model adds, whether or not a template or the API shows it today.
    names = list(BASE_FIELDS)
    for model_field in content_fields(type(page)):
        if model_field.name not in names:
            names.append(model_field.name)
    for api_field in getattr(page, "api_fields", []):
        name = getattr(api_field, "name", api_field)
        if name not in names:
            names.append(name)
    return names


def _child_texts(page):
    """Text fields of a non-case page's inline children (e.g. a host page's orderables)."""
    for relation in child_relations(type(page)):
        name = relation.get_accessor_name()
        for index, child in enumerate(getattr(page, name).all()):
            for child_field in type(child)._meta.concrete_fields:
                if not isinstance(child_field, (models.CharField, models.TextField)):
                    continue
                value = getattr(child, child_field.attname, "") or ""
                text = html_to_text(value) if isinstance(child_field, RichTextField) else value
                where = f"{name.replace('_', ' ').capitalize()} {index + 1} · {child_field.verbose_name}"
                yield Text(where, f"{name}.{index}.{child_field.name}", text)


def _link_texts(where, path, html):
    """The title, slug and URL path of each page a rich text links to.

    A link renders its target's URL, slug included; the link text alone says nothing of it.
    """

    ids = [int(found) for found in PAGE_LINK.findall(html or "")]
    if not ids:
        return
    targets = {page.pk: page for page in Page.objects.filter(pk__in=ids)}
    for index, page_id in enumerate(ids):
        page = targets.get(page_id)
        if page is None:
            continue
        text = f"{page.draft_title or page.title} {page.slug} {page.url_path}"
        yield Text(_("%(where)s · link %(number)s") % {"where": where, "number": index + 1}, path, text)


def _label(page, name):
    if name in FIELD_LABELS:
        return _(FIELD_LABELS[name])
    try:
        return str(page._meta.get_field(name).verbose_name).capitalize()
    except FieldDoesNotExist:
        return name.replace("_", " ").capitalize()


def _image_texts(where, path, image):
    yield Text(f"{where} title", f"{path}.title", image.title or "")
    description = getattr(image, "description", "")
    if description:
        yield Text(f"{where} description", f"{path}.description", description)
    alt = getattr(image, "contextual_alt_text", "")
    if alt:
        yield Text(f"{where} alt text", f"{path}.alt_text", alt)
    name = image.file.name.rsplit("/", 1)[-1] if image.file else ""
    if name and not RANDOM_FILE_NAME.match(name):
        yield Text(f"{where} file name", f"{path}.file", name)


def _walk(block, value, where, path):
    """Yield `Text`s and `UsedImage`s found in a block value, however it is nested."""
    if value is None or isinstance(block, SKIPPED_BLOCKS):
        return
    if isinstance(block, (ImageBlock, ImageChooserBlock)) or isinstance(value, AbstractImage):
        if isinstance(value, AbstractImage):
            yield UsedImage(where, path, value)
            yield from _image_texts(where, path, value)
        return
    if isinstance(block, blocks.StructBlock):
        for name, child in block.child_blocks.items():
            yield from _walk(child, value.get(name), f"{where} · {name.replace('_', ' ')}", f"{path}.{name}")
        return
    if isinstance(block, blocks.StreamBlock):
        yield from _walk_stream(value, where, path)
        return
    if isinstance(block, blocks.ListBlock):
        for index, item in enumerate(value):
            yield from _walk(block.child_block, item, f"{where} {index + 1}", f"{path}.{index}")
        return
    if isinstance(value, RichText):
        yield Text(where, path, html_to_text(value.source))
        yield from _link_texts(where, path, value.source)
    elif isinstance(value, str):
        yield Text(where, path, html_to_text(value) if isinstance(block, blocks.RawHTMLBlock) else value)


def _walk_stream(stream, where_prefix, path):
    for index, child in enumerate(stream):
        label = str(child.block.label or child.block_type.replace("_", " ")).capitalize()
        where = f"{where_prefix} · {label} {index + 1}" if where_prefix else f"{label} {index + 1}"
        yield from _walk(child.block, child.value, where, f"{path}.{index}")


def _is_image_field(model_field):
    return (
        isinstance(model_field, models.ForeignKey)
        and isinstance(model_field.related_model, type)
        and issubclass(model_field.related_model, AbstractImage)
    )


def _items(page):
    """Public texts and images of the page, in editing order."""
    for name in _field_names(page):
        if name == "funding_items":
            for index, item in enumerate(page.funding_items.all()):
                where = _("Funding item %(number)s · description") % {"number": index + 1}
                yield Text(where, f"funding_items.{index}.description", item.description or "")
            continue
        try:
            model_field = page._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        value = getattr(page, name, None)
        if isinstance(model_field, StreamField):
            # Milestones are numbered by their position in the story, as on the public map.
            yield from _walk_stream(value or [], "", name)
        elif isinstance(model_field, RichTextField):
            yield Text(_label(page, name), name, html_to_text(value))
            yield from _link_texts(_label(page, name), name, value)
        elif isinstance(model_field, (models.CharField, models.TextField)):
            yield Text(_label(page, name), name, value or "")
        elif _is_image_field(model_field):
            # An image chosen directly on the page (an update's illustration): checked, pinned
            # and erased like an illustration in a story.
            image = getattr(page, name, None)
            if isinstance(image, AbstractImage):
                yield UsedImage(_label(page, name), name, image)
                yield from _image_texts(_label(page, name), name, image)
    if not _is_case(page):
        yield from _child_texts(page)


def texts(page):
    """Every public text of `page` as `Text(where, field, text)`, empty ones left out."""
    return [item for item in _items(page) if isinstance(item, Text) and item.text.strip()]


def images(page):
    """Every image `page` shows, as `UsedImage(where, field, image)`."""
    return [item for item in _items(page) if isinstance(item, UsedImage)]


def milestones(page):
    """`(number, where, field, value)` of each milestone of a case, numbered as on the map."""
    found = []
    for index, child in enumerate(getattr(page, "story", None) or []):
        if child.block_type == "milestone":
            where = _("Milestone %(number)s") % {"number": index + 1}
            found.append((index + 1, where, f"story.{index}", child.value))
    CaseUpdate = get_update_model()

    if isinstance(page, CaseUpdate):
        # An update's new stop on the story map: the same rules as the story's milestones.
        for index, child in enumerate(page.milestone or []):
            if child.block_type == "milestone":
                found.append((index + 1, _("New milestone"), f"milestone.{index}", child.value))
    return found
