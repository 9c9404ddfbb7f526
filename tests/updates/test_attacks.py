"""How a careless editor, a hostile insider or a broken dependency would defeat updates."""

from types import SimpleNamespace

import pytest
from django.core import mail
from django.test import TestCase
from payments import PaymentStatus
from wagtail.actions.unpublish_page import UnpublishPageAction

from sixdegree_cases.donations import tasks
from sixdegree_cases.models import CaseUpdate
from sixdegree_cases.privacy import check_page
from sixdegree_cases.review.fingerprint import content_fingerprint
from tests.donations.conftest import make_donation
from tests.privacy.helpers import astronaut, jpeg_bytes, landscape, upload_image

from .helpers import make_update

pytestmark = pytest.mark.django_db


def test_a_face_as_an_update_illustration_blocks(case):
    face = upload_image(jpeg_bytes(astronaut()), title="A portrait")
    update = make_update(case, publish=False, illustration=face, illustration_alt="A woman smiling")
    findings = [f for f in check_page(update.latest_revision).findings if f.blocking]
    assert any(f.check == "images" and f.field == "illustration" for f in findings), findings


def test_the_approval_pins_the_illustration(case):
    image = upload_image(jpeg_bytes(landscape()), title="A sewing table")
    update = make_update(case, illustration=image, illustration_alt="A sewing table")
    before = content_fingerprint(update)
    type(image).objects.filter(pk=image.pk).update(
        focal_point_x=1, focal_point_y=1, focal_point_width=2, focal_point_height=2
    )
    update = CaseUpdate.objects.get(pk=update.pk)
    assert content_fingerprint(update) != before


def test_unpublishing_the_case_unpublishes_its_updates(case):
    update = make_update(case)
    UnpublishPageAction(case, user=None).execute(skip_permission_checks=True)
    update.refresh_from_db()
    assert not update.live


def test_an_update_under_an_unpublished_case_is_not_served(client, case):
    update = make_update(case)
    url = update.url
    UnpublishPageAction(case, user=None).execute(skip_permission_checks=True)
    assert client.get(url).status_code == 404
    assert client.get(f"/api/v2/pages/{update.pk}/").status_code == 404


def test_a_queue_that_refuses_jobs_never_blocks_publishing(case, monkeypatch):
    make_donation(case, status=PaymentStatus.CONFIRMED, billing_email="d@example.org", hear_back=True)

    def refuse(*args, **kwargs):
        raise ConnectionError("queue is down")

    monkeypatch.setattr(tasks, "send_case_update", SimpleNamespace(enqueue=refuse))
    with TestCase.captureOnCommitCallbacks(execute=True):
        update = make_update(case)
    assert update.live
    assert not mail.outbox


def test_an_update_cannot_be_moved_under_another_parent_type(case):
    update = make_update(case, publish=False)
    assert not update.can_move_to(case.get_parent())


def test_case_officers_set_the_status_and_communications_staff_cannot(case, client):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.urls import reverse

    from sixdegree_cases.review.constants import CASE_OFFICERS, COMMUNICATIONS_STAFF
    from sixdegree_cases.review.roles import ensure_review_setup

    ensure_review_setup()
    users = {}
    for group in (CASE_OFFICERS, COMMUNICATIONS_STAFF):
        user = get_user_model().objects.create_user(
            group.split()[0].lower(), f"{group[:4]}@example.org", "pw"
        )
        user.groups.add(Group.objects.get(name=group))
        users[group] = user
    client.force_login(users[COMMUNICATIONS_STAFF])
    assert client.get(reverse("case_status:add")).status_code in (302, 403)
    client.force_login(users[CASE_OFFICERS])
    answer = client.post(reverse("case_status:add"), {"case": case.pk, "status": "in_progress"})
    assert answer.status_code == 302, answer.content.decode()[:2000]
    lifecycle = case.__class__.objects.get(pk=case.pk).lifecycle
    assert lifecycle.status == "in_progress"
    assert lifecycle.funded_on
    assert lifecycle.in_progress_on
    assert lifecycle.completed_on is None
    # A bad status gets a message and changes nothing.
    answer = client.post(
        reverse("case_status:edit", args=[case.pk]), {"case": case.pk, "status": "teleported"}
    )
    assert answer.status_code == 200
    lifecycle.refresh_from_db()
    assert lifecycle.status == "in_progress"
