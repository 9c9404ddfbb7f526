"""A fingerprint of what the public can see of a page: the content a reviewer approves.

Two page instances with the same fingerprint show the same thing, whatever their bookkeeping
(tree position, lock, revision pointers, timestamps). The fingerprint covers the page's title,
slug, SEO title and description, every field its own model adds and every child relation
(funding items), so a field added to the case later is covered without a change here.
"""

import hashlib
import json
from decimal import Decimal

from django.db import models
from modelcluster.models import get_all_child_relations
from wagtail.models import COMMENTS_RELATION_NAME, Page

PAGE_CONTENT_FIELDS = ("title", "slug", "seo_title", "search_description")
CHILD_SKIPPED_FIELDS = ("sort_order",)


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
    return data


def content_fingerprint(page):
    """SHA-256 of the page's public content (a hex string)."""
    encoded = json.dumps(public_content(page), sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(encoded.encode()).hexdigest()
