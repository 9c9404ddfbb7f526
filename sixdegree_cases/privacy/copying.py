"""A copy of a case starts with the case's sensitive terms and never with its consent.

The terms exist to block the survivor's real name, village or employer: a copy without them
would let the very text they block pass its review. Consent is the survivor's decision about
one publication: a copy needs its own, recorded by a case officer.
"""

from django.db import transaction

from ..compat import wrap_copy_page_action
from .models import SensitiveTerm
from .permissions import is_case


def matching_pages(source, copy):
    """(original, copy) pairs of `source`'s subtree and `copy`'s, matched by tree position.

    Wagtail copies a subtree child by child in the order of `get_children()`, so the n-th child
    of each copied page is the copy of the n-th child of its original.
    """
    pairs = [(source, copy)]
    copied_children = list(copy.get_children())
    if copied_children:
        for original_child, copied_child in zip(source.get_children(), copied_children, strict=False):
            pairs.extend(matching_pages(original_child, copied_child))
    return pairs


@transaction.atomic
def copy_private_records(source, copy):
    """Give `copy` (and every case copied below it) the sensitive terms of its original.

    Idempotent: a term the copy already holds (in any spelling the check ignores) is not
    added twice. Consent records are never copied.
    """
    created = 0
    for original, duplicate in matching_pages(source, copy):
        if not (is_case(original) and is_case(duplicate)):
            continue
        held = {term.folded for term in SensitiveTerm.objects.filter(case_id=duplicate.pk)}
        for term in SensitiveTerm.objects.filter(case_id=original.pk).order_by("pk"):
            if term.folded in held:
                continue
            SensitiveTerm.objects.create(
                case_id=duplicate.pk,
                term=term.term,
                kind=term.kind,
                variants=term.variants,
                created_by=term.created_by,
            )
            held.add(term.folded)
            created += 1
    return created


class CopiesPrivateRecordsMixin:
    """For page types that hold cases: `copy()` (code, translations, whole subtrees) gives each
    copied case its original's sensitive terms. The admin's copy view is covered by the
    `after_copy_page` hook."""

    def copy(self, *args, **kwargs):
        page_copy = super().copy(*args, **kwargs)
        copy_private_records(self, page_copy)
        return page_copy


def install():
    """Make every copy go through `copy_private_records` (idempotent).

    `Page.copy` on a plain `Page` instance (scripts walking `Page.objects`), the admin view and
    any direct use of Wagtail's CopyPageAction all end in `CopyPageAction.execute`, which has
    no signal of its own: without this, a copy made on those paths had no sensitive terms.
    """
    wrap_copy_page_action(copy_private_records)
