"""A fingerprint of what the public can see of a page: the content a reviewer approves.

Two page instances with the same fingerprint show the same thing, whatever their bookkeeping
(tree position, lock, revision pointers, timestamps). The fingerprint covers the page's title,
slug, SEO title and description, every field its own model adds and every child relation
(funding items), so a field added to the case later is covered without a change here.

It also pins every image the page shows: the SHA-256 of the stored file's bytes, its focal
point (which decides the public crop) and its title and description (its default alt text).
An image replaced or re-cropped after the approval, by any path, no longer matches.
"""

import copy
import hashlib
import json
from decimal import Decimal

from django.db import models
from wagtail.fields import StreamField

from ..privacy.extract import child_relations, content_fields, images

PINNED_IMAGE_FIELDS = (
    "title",
    "description",
    "focal_point_x",
    "focal_point_y",
    "focal_point_width",
    "focal_point_height",
)
UNREADABLE = "unreadable"
CHILD_SKIPPED_FIELDS = ("sort_order",)


def guarded_field_names(model):
    """Field and relation names whose saving, on a live page, must pass the review guard."""
    names = {"live", "live_revision", "live_revision_id", "alias_of", "alias_of_id"}
    for model_field in content_fields(model):
        names.update({model_field.name, model_field.attname})
    names.update(relation.get_accessor_name() for relation in child_relations(model))
    return names


def _value(model_field, instance):
    value = model_field.get_prep_value(model_field.value_from_object(instance))
    if isinstance(model_field, models.DecimalField) and value is not None:
        # 1500, 1500.0 and 1500.00 are the same amount: the database keeps the last form.
        value = format(Decimal(value), f".{model_field.decimal_places}f")
    return value


def file_digest(image):
    """SHA-256 of the image's stored bytes; a file that cannot be read pins as unreadable."""
    try:
        with image.open_file() as handle:
            return hashlib.file_digest(handle, "sha256").hexdigest()
    except (OSError, ValueError):
        return UNREADABLE


def _detached(page):
    """A copy of `page` whose StreamField values are fresh.

    Reading a StreamValue's blocks changes how it is serialised from then on (every child
    block's default is written out), so walking the page's own values here would change what
    `page.save()` stores, and with it the fingerprint of the stored page.
    """
    clone = copy.copy(page)
    for model_field in page._meta.concrete_fields:
        if isinstance(model_field, StreamField):
            value = getattr(page, model_field.attname)
            setattr(clone, model_field.attname, model_field.to_python(model_field.get_prep_value(value)))
    return clone


def shown_image_ids(page):
    """Ids of the stored images `page` shows."""
    return {used.image.pk for used in images(_detached(page)) if used.image.pk is not None}


def image_pins(page):
    """What each image the page shows looks like now, by image id (JSON-ready)."""
    pins = {}
    for used in images(_detached(page)):
        image = used.image
        if image.pk is None or image.pk in pins:
            continue
        pin = {name: getattr(image, name, None) for name in PINNED_IMAGE_FIELDS}
        pin.update(id=image.pk, sha256=file_digest(image))
        pins[image.pk] = pin
    return [pins[pk] for pk in sorted(pins)]


def public_content(page):
    """The public content of a specific page instance as JSON-ready data."""
    data = {model_field.attname: _value(model_field, page) for model_field in content_fields(type(page))}
    for relation in child_relations(type(page)):
        child_model = relation.related_model
        skipped = {child_model._meta.pk.attname, relation.field.attname, *CHILD_SKIPPED_FIELDS}
        data[relation.get_accessor_name()] = [
            {
                child_field.attname: _value(child_field, child)
                for child_field in child_model._meta.concrete_fields
                if child_field.attname not in skipped
            }
            for child in getattr(page, relation.get_accessor_name()).all()
        ]
    pins = image_pins(page)
    if pins:
        # Only pages that show images carry the key, so other pages' fingerprints are unchanged.
        data["images"] = pins
    return data


def content_fingerprint(page):
    """SHA-256 of the page's public content (a hex string)."""
    encoded = json.dumps(public_content(page), sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(encoded.encode()).hexdigest()
