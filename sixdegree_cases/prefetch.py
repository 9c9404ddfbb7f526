"""Loading what cases show in a fixed number of queries, however long their stories are.

A case shows its milestones' illustrations (as renditions), its funding items and its
funding progress. Loaded one by one that is a query per illustration (two on Redis-backed
rendition caches), per case's items and per case's totals. `prefetch_cases(cases)` loads
them for any number of cases at once:

- every story's milestones are converted together, so their illustrations are one query;
- the illustrations' renditions are one query (Wagtail then reads them from the instance,
  not from the cache or the database, in templates and in the API alike);
- funding items and funding totals are one query each.

Used by the case page, the case index, the home page and the API.
"""

from collections import defaultdict

from django.db.models import prefetch_related_objects

from . import get_case_model
from .blocks import ILLUSTRATION_RENDITION
from .compat import lazy_stream_state, set_stream_child


def prefetch_cases(cases, *, stories=True, funding=True, rendition_specs=(ILLUSTRATION_RENDITION,)):
    """Load the illustrations and renditions (`stories`), funding items and totals (`funding`)
    of `cases` in bulk. Returns the cases (saved survivor cases only)."""
    SurvivorCasePage = get_case_model()

    cases = [case for case in cases if isinstance(case, SurvivorCasePage) and case.pk]
    if not cases:
        return cases
    if stories:
        convert_stories(case.story for case in cases)
        prefetch_renditions(illustrations(cases), rendition_specs)
    if funding:
        # The lifecycle status (cards and the API show it) comes with the funding.
        lookups = ["funding_items", "lifecycle"]
        if hasattr(SurvivorCasePage, "funding"):
            # The donations app's per-case totals (a reverse one-to-one).
            lookups.append("funding")
        prefetch_related_objects(cases, *lookups)
    return cases


def with_funding(queryset):
    """`queryset` of cases with their funding totals (when donations are installed) and their
    lifecycle status joined in."""
    queryset = queryset.select_related("lifecycle")
    if hasattr(queryset.model, "funding"):
        return queryset.select_related("funding")
    return queryset


def convert_stories(streams):
    """Convert the not-yet-converted blocks of several lazy StreamValues together.

    Wagtail converts each stream on first access with one `bulk_to_python` call per block
    type (one image query per stream); this makes it one call per block type for all streams.
    Relies on StreamValue's lazy representation: streams that are not lazy are left alone.
    """
    pending = defaultdict(list)
    for stream in streams:
        state = lazy_stream_state(stream)
        if state is None:
            continue
        raw_data, bound = state
        for index, item in enumerate(raw_data):
            if (
                bound[index] is None
                and isinstance(item, dict)
                and item.get("type") in stream.stream_block.child_blocks
            ):
                pending[(id(stream.stream_block), item["type"])].append((stream, index, item))
    for entries in pending.values():
        stream = entries[0][0]
        child_block = stream.stream_block.child_blocks[entries[0][2]["type"]]
        values = child_block.bulk_to_python([item["value"] for _stream, _index, item in entries])
        for (stream, index, item), value in zip(entries, values, strict=True):
            set_stream_child(stream, index, child_block, value, item.get("id"))


def illustrations(cases):
    """The illustration images of the cases' milestones (one instance per use)."""
    found = []
    for case in cases:
        for block in case.story:
            if block.block_type == "milestone" and block.value.get("illustration"):
                found.append(block.value["illustration"])
    return found


def prefetch_renditions(images, specs):
    """Attach the existing renditions of `specs` to every image instance, in one query.

    Wagtail's `get_rendition` then finds them on the instance; a rendition that does not exist
    yet is still created (and added to the instance) on first use.
    """
    images = [
        image
        for image in images
        if image is not None and image.pk and getattr(image, "prefetched_renditions", None) is None
    ]
    if not images:
        return
    rendition_model = images[0].get_rendition_model()
    by_image = defaultdict(list)
    renditions = rendition_model.objects.filter(
        image_id__in={image.pk for image in images}, filter_spec__in=list(specs)
    )
    for rendition in renditions:
        by_image[rendition.image_id].append(rendition)
    for image in images:
        image.prefetched_renditions = list(by_image[image.pk])
        for rendition in image.prefetched_renditions:
            # Alt text and URLs read the image: never a query per rendition.
            rendition.image = image
