"""Hole 3 of issue 8: the public is served renditions, so the audit verifies them too.

Each rendition records the SHA-256 of the file it was generated with; `privacy_audit` deletes a
rendition whose stored file differs (the next request regenerates it from the original the
approval pins) and takes down the live pages that served it.
"""

import pytest
from wagtail.images import get_image_model

from sixdegree_cases.blocks import ILLUSTRATION_RENDITION
from sixdegree_cases.images.renditions import stored_digest
from sixdegree_cases.models import SurvivorCasePage
from sixdegree_cases.review.audit import audit_live_pages
from tests.factories import make_case_page, milestone
from tests.privacy.helpers import astronaut, jpeg_bytes, landscape, record_consent, upload_image

Image = get_image_model()
Rendition = Image.get_rendition_model()
THUMBNAIL = "fill-200x120|format-webp"


@pytest.fixture
def drawing(db):
    return upload_image(jpeg_bytes(landscape()), title="Road to the coast")


@pytest.fixture
def live_case(case_index, drawing, review_setup):
    story = [
        milestone("recruitment", "Recruited", lat=-0.03, lng=109.33),
        milestone("escape", "Away", lat=-7.3, lng=112.7),
    ]
    story[1][1]["illustration"] = {"image": drawing, "decorative": False, "alt_text": "A road"}
    page = make_case_page(case_index, slug="illustrated", story=story)
    record_consent(page)
    return page


def read(rendition):
    with rendition.file.storage.open(rendition.file.name, "rb") as handle:
        return handle.read()


def overwrite(rendition, data):
    with rendition.file.storage.open(rendition.file.name, "wb") as handle:
        handle.write(data)


def result_for(page, **kwargs):
    (result,) = [result for result in audit_live_pages(**kwargs) if result.page_id == page.pk]
    return result


def test_every_rendition_records_the_digest_of_the_file_it_was_generated_with(drawing):
    single = drawing.get_rendition(ILLUSTRATION_RENDITION)
    # `get_renditions` creates in bulk (no `save()`): the digest is recorded there too.
    (bulk,) = Image.objects.get(pk=drawing.pk).get_renditions(THUMBNAIL).values()

    for rendition in (single, bulk):
        stored = Rendition.objects.get(pk=rendition.pk)
        assert len(stored.sha256) == 64
        assert stored.sha256 == stored_digest(stored)


def test_an_untouched_rendition_passes_and_stays(live_case, drawing):
    rendition = drawing.get_rendition(ILLUSTRATION_RENDITION)
    result = result_for(live_case)
    assert result.passed, result.describe()
    assert Rendition.objects.filter(pk=rendition.pk).exists()


def test_a_rendition_written_over_is_deleted_and_its_case_taken_down(live_case, drawing):
    rendition = drawing.get_rendition(ILLUSTRATION_RENDITION)
    approved = read(rendition)
    overwrite(rendition, jpeg_bytes(astronaut().resize((800, 500))))

    result = result_for(live_case)

    assert result.reasons == ["renditions"]
    assert "an image file it serves changed in storage" in result.describe()
    assert not SurvivorCasePage.objects.get(pk=live_case.pk).live
    assert not Rendition.objects.filter(pk=rendition.pk).exists()
    # Regenerated from the original the approval pins: the approved pixels again.
    assert read(Image.objects.get(pk=drawing.pk).get_rendition(ILLUSTRATION_RENDITION)) == approved


def test_a_rendition_whose_digest_was_blanked_is_regenerated(live_case, drawing):
    """A hostile insider blanks the recorded digest so the face cannot be compared: the
    rendition is unverifiable, so it is never served again (regenerated from the original)."""
    rendition = drawing.get_rendition(ILLUSTRATION_RENDITION)
    approved = read(rendition)
    Rendition.objects.filter(pk=rendition.pk).update(sha256="")
    overwrite(rendition, jpeg_bytes(astronaut().resize((800, 500))))

    result_for(live_case)

    assert not Rendition.objects.filter(pk=rendition.pk).exists()
    assert read(Image.objects.get(pk=drawing.pk).get_rendition(ILLUSTRATION_RENDITION)) == approved


def test_a_rendition_lost_from_storage_takes_the_case_down(live_case, drawing):
    rendition = drawing.get_rendition(ILLUSTRATION_RENDITION)
    rendition.file.storage.delete(rendition.file.name)

    assert result_for(live_case).reasons == ["renditions"]
    assert not SurvivorCasePage.objects.get(pk=live_case.pk).live


def test_a_dry_run_reports_a_written_over_rendition_and_changes_nothing(live_case, drawing):
    rendition = drawing.get_rendition(ILLUSTRATION_RENDITION)
    overwrite(rendition, jpeg_bytes(astronaut().resize((800, 500))))

    assert result_for(live_case, dry_run=True).reasons == ["renditions"]

    assert SurvivorCasePage.objects.get(pk=live_case.pk).live
    assert Rendition.objects.filter(pk=rendition.pk).exists()
