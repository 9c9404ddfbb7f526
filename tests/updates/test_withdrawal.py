"""Withdrawing a case's consent erases its updates with it: offline, blanked, history overwritten."""

import json

import pytest
from wagtail.models import Page, Revision

from sixdegree_cases.models import CaseUpdate
from sixdegree_cases.privacy import withdraw_consent
from tests.privacy.helpers import OFFICER_PERMISSIONS, jpeg_bytes, landscape, upload_image, user_with

from .helpers import make_update, update_milestone

pytestmark = pytest.mark.django_db

CANARIES = ["Qzupdatetitle", "Qzupdatenarrative", "Qzupdatedraft", "Qzupdatealt", "Qzupdatestop"]


@pytest.fixture
def officer(db):
    return user_with("officer", OFFICER_PERMISSIONS)


def test_withdrawal_unpublishes_and_erases_the_case_updates(case, officer, client):
    image = upload_image(jpeg_bytes(landscape()), title="A sewing machine")
    update = make_update(
        case,
        title="Qzupdatetitle",
        narrative="<p>Qzupdatenarrative</p>",
        illustration=image,
        illustration_alt="Qzupdatealt",
        milestone=update_milestone(title="Qzupdatestop"),
    )
    assert update.live
    assert "Qzupdatenarrative" in client.get(case.url).content.decode()
    update.narrative = "<p>Qzupdatedraft</p>"
    update.save_revision()

    withdraw_consent(case, officer)

    update = CaseUpdate.objects.get(pk=update.pk)
    assert not update.live
    assert update.illustration_id is None
    stored = json.dumps(
        [
            list(Page.objects.filter(pk=update.pk).values("title", "draft_title", "slug", "url_path")),
            list(
                CaseUpdate.objects.filter(pk=update.pk).values("narrative", "illustration_alt", "milestone")
            ),
            list(Revision.objects.filter(object_id=str(update.pk)).values_list("content", "object_str")),
        ],
        default=str,
    )
    for canary in CANARIES:
        assert canary not in stored, canary
    # Its image was used by no other page: deleted with it.
    assert not type(image).objects.filter(pk=image.pk).exists()
    page = client.get(case.url)
    assert page.status_code == 404


def test_an_update_of_a_withdrawn_case_can_never_pass_the_checks(case, officer):
    from sixdegree_cases.privacy import check_page

    withdraw_consent(case, officer)
    update = make_update(case, publish=False)
    assert any(f.check == "consent" and f.blocking for f in check_page(update.latest_revision).findings)
