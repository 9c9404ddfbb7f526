"""Door 1: what a reviewer approved is what the public sees, pixels and crop included."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.images import get_image_model

from sixdegree_cases.images.models import ImageInUseError
from sixdegree_cases.models import SurvivorCasePage
from sixdegree_cases.review.audit import audit_live_pages
from sixdegree_cases.review.fingerprint import content_fingerprint
from tests.factories import make_case_page, milestone
from tests.privacy.helpers import astronaut, jpeg_bytes, landscape, record_consent, upload_image
from tests.review.helpers import FULL_CHECKLIST, act, submit

Image = get_image_model()


def illustrated_story(image):
    story = [
        milestone("recruitment", "Recruited", lat=-0.03, lng=109.33),
        milestone("escape", "Away", lat=-7.3, lng=112.7),
    ]
    story[1][1]["illustration"] = {"image": image, "decorative": False, "alt_text": "A road"}
    return story


@pytest.fixture
def drawing(db):
    return upload_image(jpeg_bytes(landscape()), title="Road to the coast")


@pytest.fixture
def live_case(case_index, drawing, review_setup):
    page = make_case_page(case_index, slug="illustrated", story=illustrated_story(drawing))
    record_consent(page)
    return page


@pytest.fixture
def admin_client(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("root", "root@example.org", "pw"))
    return client


def stored_bytes(image):
    with Image.objects.get(pk=image.pk).open_file() as handle:
        return handle.read()


def edit_form(image, **changes):
    data = {
        "title": image.title,
        "description": image.description,
        "collection": image.collection_id,
        "tags": "",
        "focal_point_x": image.focal_point_x or "",
        "focal_point_y": image.focal_point_y or "",
        "focal_point_width": image.focal_point_width or "",
        "focal_point_height": image.focal_point_height or "",
    }
    data.update(changes)
    return data


def test_replacing_the_file_of_a_live_image_in_the_admin_is_refused(live_case, drawing, admin_client):
    before = stored_bytes(drawing)
    face = SimpleUploadedFile("new.jpg", jpeg_bytes(astronaut()), content_type="image/jpeg")
    response = admin_client.post(
        reverse("wagtailimages:edit", args=[drawing.pk]), edit_form(drawing, file=face)
    )
    assert response.status_code == 200
    assert "upload it as a new image" in response.content.decode()
    assert stored_bytes(drawing) == before


def test_moving_the_focal_point_of_a_live_image_in_the_admin_is_refused(live_case, drawing, admin_client):
    response = admin_client.post(
        reverse("wagtailimages:edit", args=[drawing.pk]),
        edit_form(drawing, focal_point_x=40, focal_point_y=40, focal_point_width=20, focal_point_height=20),
    )
    assert response.status_code == 200
    assert "upload it as a new image" in response.content.decode()
    assert Image.objects.get(pk=drawing.pk).focal_point_x is None


def test_retitling_a_live_image_is_refused(live_case, drawing, admin_client):
    response = admin_client.post(
        reverse("wagtailimages:edit", args=[drawing.pk]), edit_form(drawing, title="Siti at home")
    )
    assert response.status_code == 200
    assert Image.objects.get(pk=drawing.pk).title == "Road to the coast"


def test_an_image_no_case_shows_can_still_be_replaced(drawing, admin_client, db):
    other = SimpleUploadedFile("new.jpg", jpeg_bytes(landscape().rotate(180)), content_type="image/jpeg")
    response = admin_client.post(
        reverse("wagtailimages:edit", args=[drawing.pk]), edit_form(drawing, file=other)
    )
    assert response.status_code == 302
    assert Image.objects.get(pk=drawing.pk).file.name != drawing.file.name


def test_code_cannot_change_a_live_image_in_place(live_case, drawing):
    image = Image.objects.get(pk=drawing.pk)
    image.focal_point_x, image.focal_point_y, image.focal_point_width, image.focal_point_height = 1, 1, 5, 5
    with pytest.raises(ImageInUseError):
        image.save()


def test_an_image_of_a_case_in_review_cannot_be_changed(case_index, drawing, review_setup, django_user_model):
    page = make_case_page(case_index, publish=False, slug="in-review", story=illustrated_story(drawing))
    from tests.review.conftest import member_of

    submit(page, member_of("Communications staff", "writer"))
    image = Image.objects.get(pk=drawing.pk)
    image.file = SimpleUploadedFile("new.jpg", jpeg_bytes(astronaut()))
    with pytest.raises(ImageInUseError):
        image.save()


def test_the_fingerprint_pins_the_pixels_and_the_crop(live_case, drawing):
    page = SurvivorCasePage.objects.get(pk=live_case.pk)
    pinned = content_fingerprint(page)
    Image.objects.filter(pk=drawing.pk).update(
        focal_point_x=10, focal_point_y=10, focal_point_width=4, focal_point_height=4
    )
    assert content_fingerprint(SurvivorCasePage.objects.get(pk=live_case.pk)) != pinned


def test_a_file_swapped_in_storage_takes_the_case_down(live_case, drawing):
    with drawing.file.storage.open(drawing.file.name, "wb") as handle:
        handle.write(jpeg_bytes(astronaut()))
    (result,) = [result for result in audit_live_pages() if result.page_id == live_case.pk]
    assert result.reasons == ["fingerprint", "checks"]
    assert "images" in result.checks  # the face check ran on the new pixels
    assert not SurvivorCasePage.objects.get(pk=live_case.pk).live


def test_a_focal_point_moved_by_queryset_update_takes_the_case_down(live_case, drawing):
    Image.objects.filter(pk=drawing.pk).update(
        focal_point_x=10, focal_point_y=10, focal_point_width=4, focal_point_height=4
    )
    audit_live_pages()
    assert not SurvivorCasePage.objects.get(pk=live_case.pk).live


def test_an_image_changed_after_the_checks_ran_cannot_be_approved(
    case_index, drawing, review_setup, django_user_model
):
    from sixdegree_cases.review.services import ApprovalRefused
    from tests.review.conftest import member_of

    page = make_case_page(case_index, publish=False, slug="swapped", story=illustrated_story(drawing))
    record_consent(page)
    task_state = submit(page, member_of("Communications staff", "writer"))
    with drawing.file.storage.open(drawing.file.name, "wb") as handle:
        handle.write(jpeg_bytes(astronaut()))
    with pytest.raises(ApprovalRefused) as refusal:
        act(task_state, member_of("Privacy reviewers", "checker"), "approve", **FULL_CHECKLIST)
    assert "changed after the checks ran" in str(refusal.value)
    # The checks ran again at approval, the face check on the new pixels.
    assert "1 blocking finding remains" in str(refusal.value)
    assert not SurvivorCasePage.objects.get(pk=page.pk).live


def test_an_untouched_illustrated_case_passes_the_audit(live_case):
    (result,) = [result for result in audit_live_pages(dry_run=True) if result.page_id == live_case.pk]
    assert result.passed, result.describe()


def test_an_image_file_lost_from_storage_takes_the_case_down(live_case, drawing):
    drawing.file.storage.delete(drawing.file.name)
    (result,) = [result for result in audit_live_pages() if result.page_id == live_case.pk]
    assert result.reasons[0] == "fingerprint"
    assert not SurvivorCasePage.objects.get(pk=live_case.pk).live
