"""Hole 2 of issue 8: four eyes counts whoever uploaded or changed an image the version shows.

The page's revisions say who wrote the text; a reviewer who replaced the file, moved the focal
point or rewrote the title of an image the case shows changed what the public will see as
surely, and may not approve it.
"""

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import ImageOps
from wagtail.images import get_image_model
from wagtail.log_actions import LogContext

from sixdegree_cases.images.changes import ImageChange
from sixdegree_cases.models import SurvivorCasePage
from sixdegree_cases.review.constants import PRIVACY_REVIEWERS
from sixdegree_cases.review.services import ApprovalRefused, approve_and_publish
from tests.factories import make_case_page, milestone
from tests.live.test_pinned_images import edit_form
from tests.privacy.helpers import jpeg_bytes, landscape, upload_image

from .helpers import FULL_CHECKLIST, act, submit

Image = get_image_model()


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def drawing(db):
    return upload_image(jpeg_bytes(landscape()), title="A road")


def illustrated_draft(case_index, image, slug="illustrated"):
    story = [
        milestone("recruitment", "Recruited", lat=-0.03, lng=109.33),
        milestone(
            "escape",
            "Away",
            lat=-7.3,
            lng=112.7,
            illustration={"image": image, "decorative": False, "alt_text": "A road"},
        ),
    ]
    return make_case_page(case_index, publish=False, slug=slug, story=story)


def latest(page):
    return SurvivorCasePage.objects.get(pk=page.pk).get_latest_revision_as_object()


def replace_file(image, user):
    """The admin's image edit, as `user` (Wagtail's admin runs every request in a log context)."""
    image = Image.objects.get(pk=image.pk)
    image.file = SimpleUploadedFile("x.jpg", jpeg_bytes(ImageOps.mirror(landscape())))
    with LogContext(user=user):
        image.save()


def test_a_reviewer_who_replaced_the_file_cannot_approve_and_another_can(
    case_index, drawing, staff, reviewer, second_reviewer, fake_checks
):
    draft = illustrated_draft(case_index, drawing)
    replace_file(drawing, reviewer)
    task_state = submit(latest(draft), staff)

    with pytest.raises(ApprovalRefused, match="uploaded or changed an image"):
        act(task_state, reviewer, "approve", **FULL_CHECKLIST)
    assert not SurvivorCasePage.objects.get(pk=draft.pk).live

    act(task_state, second_reviewer, "approve", **FULL_CHECKLIST)
    assert SurvivorCasePage.objects.get(pk=draft.pk).live


def test_the_approve_action_is_not_offered_to_whoever_changed_an_image(
    case_index, drawing, staff, reviewer, fake_checks
):
    draft = illustrated_draft(case_index, drawing)
    replace_file(drawing, reviewer)
    task_state = submit(latest(draft), staff)
    page = SurvivorCasePage.objects.get(pk=draft.pk)
    assert "approve" not in [name for name, *_rest in task_state.task.specific.get_actions(page, reviewer)]


def test_a_reviewer_who_uploaded_the_image_cannot_approve(case_index, staff, reviewer, fake_checks):
    image = Image(title="A road", file=SimpleUploadedFile("u.jpg", jpeg_bytes(landscape())))
    image.uploaded_by_user = reviewer
    image.save()
    draft = illustrated_draft(case_index, image)
    task_state = submit(latest(draft), staff)

    with pytest.raises(ApprovalRefused, match="another privacy reviewer"):
        act(task_state, reviewer, "approve", **FULL_CHECKLIST)


def test_a_focal_point_moved_in_the_admin_is_counted(
    client, case_index, drawing, staff, superuser, fake_checks
):
    """The real admin edit view: a superuser who is also a reviewer moves the crop."""
    superuser.groups.add(Group.objects.get(name=PRIVACY_REVIEWERS))
    draft = illustrated_draft(case_index, drawing)
    client.force_login(superuser)
    response = client.post(
        reverse("wagtailimages:edit", args=[drawing.pk]),
        edit_form(drawing, focal_point_x=40, focal_point_y=40, focal_point_width=20, focal_point_height=20),
    )
    assert response.status_code == 302
    (change,) = ImageChange.objects.filter(image=drawing)
    assert change.user == superuser
    task_state = submit(latest(draft), staff)

    with pytest.raises(ApprovalRefused):
        act(task_state, superuser, "approve", **FULL_CHECKLIST)


def test_a_change_made_before_the_last_approval_no_longer_counts(
    case_index, drawing, staff, reviewer, second_reviewer, fake_checks
):
    draft = illustrated_draft(case_index, drawing)
    replace_file(drawing, reviewer)
    approve_and_publish(latest(draft).get_latest_revision(), second_reviewer, require_checks=False)
    content = latest(draft)
    content.summary = "A later edit by the staff."
    content.save_revision(user=staff)
    task_state = submit(latest(draft), staff)

    act(task_state, reviewer, "approve", **FULL_CHECKLIST)

    assert SurvivorCasePage.objects.get(pk=draft.pk).live_revision_id == task_state.revision_id


def test_an_image_changed_by_nobody_known_cannot_be_approved_by_anyone(
    case_index, drawing, staff, second_reviewer, fake_checks
):
    """A script (or an account since deleted) changed it: nobody can be shown not to have."""
    draft = illustrated_draft(case_index, drawing)
    replace_file(drawing, None)
    task_state = submit(latest(draft), staff)

    with pytest.raises(ApprovalRefused, match=f"#{drawing.pk}.*upload the picture again"):
        act(task_state, second_reviewer, "approve", **FULL_CHECKLIST)


def test_an_image_uploaded_by_a_script_can_be_approved(case_index, drawing, staff, reviewer, fake_checks):
    """An upload that names nobody is an import: the reviewer sees the whole new image."""
    draft = illustrated_draft(case_index, drawing)
    task_state = submit(latest(draft), staff)

    act(task_state, reviewer, "approve", **FULL_CHECKLIST)

    assert SurvivorCasePage.objects.get(pk=draft.pk).live


def test_a_change_records_field_names_and_never_values(drawing, reviewer):
    image = Image.objects.get(pk=drawing.pk)
    image.title = "Siti Rahayu's village"
    with LogContext(user=reviewer):
        image.save()

    (change,) = ImageChange.objects.filter(image=drawing)
    assert change.fields == ["title"]
    assert change.user == reviewer


def test_saving_an_image_unchanged_records_nothing(drawing, reviewer):
    with LogContext(user=reviewer):
        Image.objects.get(pk=drawing.pk).save()
    assert not ImageChange.objects.filter(image=drawing).exists()


def test_the_review_screen_lists_who_changed_which_image(
    client, case_index, drawing, staff, reviewer, second_reviewer, fake_checks
):
    draft = illustrated_draft(case_index, drawing)
    replace_file(drawing, reviewer)
    submit(latest(draft), staff)
    client.force_login(second_reviewer)

    html = client.get(reverse("sixdegree_review:review", args=[draft.pk])).content.decode()

    assert "Image changes since the last approval" in html
    assert f"<td>#{drawing.pk}</td>" in html
    assert "replaced the file" in html
    assert "<td data-author>reviewer</td>" in html
