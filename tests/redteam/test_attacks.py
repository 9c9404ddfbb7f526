"""Red-team attacks on the privacy gate's side doors. Each test asserts the SAFE behaviour.

The attacks that held stay here as regression tests. A hole that is still open is marked
`OPEN_HOLE` (a strict xfail): the suite stays green while it is open and fails the day it is
closed, so the marker is removed with the fix. Holes closed since are tested with their fix too
(tests/review/test_restriction_widening.py, tests/privacy/test_links.py,
tests/live/test_copy_terms.py).
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from PIL import ImageOps
from wagtail.models import BaseViewRestriction, PageViewRestriction

from sixdegree_cases.models import SurvivorCasePage
from sixdegree_cases.privacy.checks.terms import find_term
from sixdegree_cases.review.guard import UnreviewedRevisionError
from sixdegree_cases.review.services import ApprovalRefused
from tests.factories import make_case_page, milestone
from tests.privacy.helpers import jpeg_bytes, landscape, record_consent, upload_image
from tests.review.helpers import FULL_CHECKLIST, act, submit


def OPEN_HOLE(reason):
    return pytest.mark.xfail(strict=True, reason=f"open hole: {reason}")


STORY_TEXT = "Recruited at 16 with a promise of restaurant work."


def sees_story(client, page):
    page = SurvivorCasePage.objects.get(pk=page.pk)
    response = client.get(page.url, HTTP_HOST="localhost")
    return response.status_code == 200 and STORY_TEXT in response.content.decode()


def restricted_live_case(case_index, slug="restricted"):
    case = make_case_page(case_index, slug=slug)
    restriction = PageViewRestriction.objects.create(
        page=case, restriction_type=PageViewRestriction.PASSWORD, password="long-secret-9"
    )
    assert not sees_story(Client(), case)
    return case, restriction


# --- Door 4/5: view restrictions -------------------------------------------------------------


def test_privacy_audit_catches_a_restriction_removed_with_queryset_update(case_index):
    """README: QuerySet.update is outside the model guards and `privacy_audit` is the tripwire.
    The audit compares content fingerprints only; a view restriction lifted by SQL stays public."""
    case, restriction = restricted_live_case(case_index, slug="lifted")
    record_consent(case)  # so the audit's own checks pass: only the lifted restriction is wrong
    call_command("privacy_audit")  # clean before the attack
    PageViewRestriction.objects.filter(pk=restriction.pk).update(restriction_type=BaseViewRestriction.NONE)
    assert sees_story(Client(), case)  # the hole itself: public without any review

    try:
        call_command("privacy_audit")
    except CommandError:
        pass

    assert not sees_story(Client(), case), "privacy_audit left an unreviewed-public case live"


# --- Door 3: four eyes ----------------------------------------------------------------------


def test_a_reviewer_who_replaced_the_image_file_cannot_approve_the_case(
    case_index, staff, reviewer, fake_checks
):
    """The reviewer swaps the pixels of an image used by a draft (not yet pinned: not live,
    not in review), the editor submits, the reviewer approves what they changed."""
    image = upload_image(jpeg_bytes(landscape()), title="A road")
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
    draft = make_case_page(case_index, publish=False, slug="illustrated", story=story)

    # The reviewer changes the picture the public will see (admin image edit: replace file).
    image.file = SimpleUploadedFile("x.jpg", jpeg_bytes(ImageOps.mirror(landscape())))
    image.save()

    task_state = submit(SurvivorCasePage.objects.get(pk=draft.pk).get_latest_revision_as_object(), staff)

    with pytest.raises(ApprovalRefused):
        act(task_state, reviewer, "approve", **FULL_CHECKLIST)


# --- Check evasions -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "written",
    [
        "Si\u200bti Rahayu",  # zero-width space inside the name
        "S\u0456ti Rahayu",  # Cyrillic i
        "Si\u00adti Rahayu",  # soft hyphen
        "\uff33\uff49\uff54\uff49 Rahayu",  # full-width letters
    ],
)
def test_a_sensitive_name_disguised_with_invisible_or_lookalike_characters_is_found(written):
    assert find_term("Siti Rahayu", f"Then {written} left the boat.")


# --- Links from reviewed editorial text to an unreviewed draft ---------------------------------


def test_an_index_intro_linking_a_draft_case_does_not_publish_the_drafts_slug(case_index):
    """A careless editor links the case index's intro to a case still in draft. The draft's
    slug was never reviewed (it is the survivor's real name); the index's checks read the
    link text only, and Wagtail renders the draft's URL into the public page."""
    from sixdegree_cases.models import CaseIndexPage
    from sixdegree_cases.review.services import ApprovalRefused as Refused
    from sixdegree_cases.review.services import approve_and_publish
    from tests.privacy.helpers import add_term

    draft = make_case_page(case_index, publish=False, slug="siti-rahayu-desa-contoh", title="Draft")
    add_term(draft, "Siti Rahayu", kind="name")
    index = CaseIndexPage.objects.get(pk=case_index.pk)
    index.intro = f'<p>Read <a linktype="page" id="{draft.pk}">her story</a> soon.</p>'
    try:
        approve_and_publish(index.save_revision(), require_checks=True)
    except (Refused, UnreviewedRevisionError):
        return  # held: the checks blocked the link to an unreviewed page
    index.refresh_from_db()
    response = Client().get(index.url, HTTP_HOST="localhost")
    assert response.status_code == 200
    assert "siti-rahayu" not in response.content.decode()


# --- Files changed in storage: the public sees renditions, the audit hashes originals -------------


def test_privacy_audit_catches_a_rendition_replaced_in_storage(case_index):
    """README: 'files changed in storage' are outside the model guards and `privacy_audit`
    unpublishes what no reviewer approved. The public sees renditions, never the original; the
    approval pins the original's SHA-256 only, so a face written over the served rendition stays
    live through the audit."""
    from sixdegree_cases.blocks import ILLUSTRATION_RENDITION
    from tests.privacy.helpers import astronaut

    image = upload_image(jpeg_bytes(landscape()), title="A road")
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
    case = make_case_page(case_index, slug="illustrated-live", story=story)
    record_consent(case)
    call_command("privacy_audit")  # clean before the attack
    rendition = image.get_rendition(ILLUSTRATION_RENDITION)
    approved_bytes = rendition.file.read()
    rendition.file.close()

    face = jpeg_bytes(astronaut().resize((800, 500)))
    with rendition.file.storage.open(rendition.file.name, "wb") as handle:
        handle.write(face)

    try:
        call_command("privacy_audit")
    except CommandError:
        pass

    case = SurvivorCasePage.objects.get(pk=case.pk)
    served = image.get_rendition(ILLUSTRATION_RENDITION)
    with served.file.storage.open(served.file.name, "rb") as handle:
        still_served = handle.read()
    assert not (case.live and still_served == face), "a face replaced the approved rendition and stays live"
    assert approved_bytes


@pytest.mark.parametrize(
    "href",
    [
        "tel:+6281234567890",
        "mailto:siti.rahayu@example.org",
        "https://www.facebook.com/siti.rahayu.1998",
    ],
)
def test_contacts_hidden_in_a_link_target_of_reviewed_editorial_text_block(case_index, href):
    """The index intro allows links: the phone number, e-mail or profile sits in the href only,
    under innocent link text. The checks must read link targets as public text."""
    from sixdegree_cases.models import CaseIndexPage
    from sixdegree_cases.review.services import ApprovalRefused as Refused
    from sixdegree_cases.review.services import approve_and_publish

    index = CaseIndexPage.objects.get(pk=case_index.pk)
    index.intro = f'<p>You can <a href="{href}">reach out to help</a>.</p>'
    with pytest.raises((Refused, UnreviewedRevisionError)):
        approve_and_publish(index.save_revision(), require_checks=True)


def test_a_superuser_cannot_approve_their_own_change(case_index, superuser, staff, fake_checks):
    draft = make_case_page(case_index, publish=False, slug="su-draft")
    content = SurvivorCasePage.objects.get(pk=draft.pk).get_latest_revision_as_object()
    content.summary = "The superuser's own words."
    content.save_revision(user=superuser)
    task_state = submit(SurvivorCasePage.objects.get(pk=draft.pk).get_latest_revision_as_object(), staff)
    with pytest.raises(ApprovalRefused):
        act(task_state, superuser, "approve", **FULL_CHECKLIST)


# --- Copies: the original's sensitive terms must come along -------------------------------------


def test_a_case_copied_through_a_plain_page_instance_keeps_its_sensitive_terms(case_index):
    """Scripts often walk the tree with `Page.objects` (not `.specific`): `Page.copy` on the
    plain instance never reaches the case's own `copy()`, so the copy has no terms and the real
    name that blocks on the original passes on the copy."""
    from wagtail.models import Page

    from sixdegree_cases.privacy.models import SensitiveTerm
    from tests.privacy.helpers import add_term

    case = make_case_page(case_index, slug="original")
    add_term(case, "Siti Rahayu", kind="name")

    copy = Page.objects.get(pk=case.pk).copy(
        to=case_index, update_attrs={"slug": "copied", "title": "Copied"}, keep_live=False
    )

    assert SensitiveTerm.objects.filter(case_id=copy.pk).count() == 1
