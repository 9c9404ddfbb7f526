"""Red-team attacks on case updates, the gate fixes, meta tags and the page cache's holes.

Each test asserts the SAFE behaviour. Attacks that held are plain regression tests; a hole
still open would be an `OPEN_HOLE` (a strict xfail, see tests/redteam/test_attacks.py) described in
its reason, and fails the day it is closed so that the marker goes with the fix.
"""

import contextlib
import json

import pytest
from django.core import mail
from django.core.cache import cache as default_cache
from django.test import Client
from django.urls import reverse
from payments import PaymentStatus
from wagtail.models import PageViewRestriction

from sixdegree_cases.caching.backends import get_page_cache
from sixdegree_cases.donations.models import Donation
from sixdegree_cases.donations.update_mail import (
    address_digest,
    deliver_update,
    read_unsubscribe_token,
    unsubscribe_token,
)
from sixdegree_cases.models import CaseUpdate
from sixdegree_cases.privacy import check_page
from tests.donations.conftest import make_donation
from tests.factories import make_case_page
from tests.privacy.helpers import add_term, record_consent
from tests.updates.helpers import make_update, update_milestone

pytestmark = pytest.mark.django_db

CANARY = "Qzupdatecanary"  # the update's own text: must never reach a restricted case's public
TERM = "Sukamaju"  # the parent case's private sensitive term


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def case(case_index):
    page = make_case_page(case_index, title="Her story", slug="her-story")
    record_consent(page)
    return page


@pytest.fixture
def other_case(case_index):
    page = make_case_page(case_index, title="Another story", slug="another-story", pseudonym="Anggrek")
    record_consent(page)
    return page


def blocking(page_or_revision):
    revision = getattr(page_or_revision, "latest_revision", None) or page_or_revision
    return [f for f in check_page(revision).findings if f.blocking]


def restrict(page):
    return PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password="long-secret-9"
    )


def shows(client, url):
    """Whether an anonymous `client` finds the canary at `url` (in any case: slugs are lower),
    leaving aside the path it asked for (a password form echoes it back)."""
    from urllib.parse import quote

    content = client.get(url).content.decode()
    path = url.split("?")[0]
    for echoed in (path, quote(path, safe="")):
        content = content.replace(echoed, "")
    return CANARY.lower() in content.lower()


def public_urls(case, update):
    return [
        "/",
        case.get_parent().url,
        reverse("sixdegree_cases:updates_feed"),
        "/sitemap.xml",
        "/search/?query=sewing",
        "/api/v2/pages/?type=sixdegree_cases.CaseUpdate&fields=*&search=sewing",
        "/api/v2/pages/?type=sixdegree_cases.CaseUpdate&fields=*",
        f"/api/v2/pages/{update.pk}/",
        reverse("sixdegree_cases:case_updates_feed", args=[case.pk]),
        reverse("sixdegree_cases:journey_geojson", args=[case.pk]),
        f"/api/v2/pages/?child_of={case.pk}&fields=*",
        f"/api/v2/pages/?descendant_of={case.get_parent().pk}&fields=*",
        f"/api/v2/pages/find/?html_path={update.url}",
        update.url,
    ]


# --- A careless editor: the parent's sensitive term anywhere in an update -------------------


@pytest.mark.parametrize(
    "fields",
    [
        {"title": f"News from {TERM}"},
        {"slug": f"news-from-{TERM.lower()}"},
        {"milestone": update_milestone(title=f"A corner in {TERM}")},
        {"milestone": update_milestone(place_label=f"{TERM}, East Java")},
        {"milestone": update_milestone(narrative=f"<p>Back in {TERM}.</p>")},
        {"narrative": "<p>She went back to s u k a m a j u for a week.</p>"},  # spacing variant
        {"search_description": f"An update from {TERM}"},
        {"seo_title": f"{TERM} news"},
    ],
    ids=["title", "slug", "milestone-title", "milestone-place", "milestone-text", "spaced", "meta", "seo"],
)
def test_the_parent_term_blocks_wherever_the_update_carries_it(case, fields):
    add_term(case, TERM, kind="village")
    update = make_update(case, publish=False, **fields)
    assert any(f.check == "sensitive_terms" for f in blocking(update)), fields


def test_an_exact_date_in_the_update_narrative_blocks(case):
    update = make_update(case, publish=False, narrative="<p>She opened her shop on 14 March 2026.</p>")
    assert blocking(update)


# --- A hostile insider: updates published around the review ---------------------------------


def test_a_live_update_moved_under_another_case_is_not_live_with_that_case_unchecked(case, other_case):
    """Moving between cases: the update was reviewed against its first case's terms only."""
    add_term(other_case, TERM, kind="village")
    update = make_update(case, narrative=f"<p>She visited {TERM} market.</p>")
    assert update.live
    try:
        CaseUpdate.objects.get(pk=update.pk).move(other_case, pos="last-child")
    except Exception:  # noqa: BLE001 - a refusal is the safe outcome
        return
    update = CaseUpdate.objects.get(pk=update.pk)
    client = Client()
    assert not (update.live and TERM in client.get(other_case.url).content.decode())


def test_a_live_update_moved_under_a_draft_case_stays_out_of_the_api(case, case_index):
    draft = make_case_page(case_index, title="Draft", slug="draft-case", pseudonym="Kenanga")
    update = make_update(case, title=CANARY)
    try:
        CaseUpdate.objects.get(pk=update.pk).move(draft, pos="last-child")
    except Exception:  # noqa: BLE001 - a refusal is the safe outcome
        return
    client = Client()
    listing = client.get("/api/v2/pages/", {"type": "sixdegree_cases.CaseUpdate", "fields": "*"})
    assert CANARY not in listing.content.decode()
    assert client.get(f"/api/v2/pages/{update.pk}/").status_code == 404


def test_a_copy_of_a_live_update_kept_live_under_another_case_is_refused_or_a_draft(case, other_case):
    update = make_update(case)
    try:
        copy = update.copy(to=other_case, update_attrs={"slug": "copied"}, keep_live=True)
    except Exception:  # noqa: BLE001 - a refusal is the safe outcome
        return
    copy.refresh_from_db()
    assert not copy.live


def test_the_author_of_an_update_cannot_approve_it(case, staff, reviewer, fake_checks):
    from sixdegree_cases.review.services import ApprovalRefused
    from tests.review.helpers import FULL_CHECKLIST, act, submit

    update = make_update(case, publish=False)
    update.save_revision(user=reviewer)
    submit(CaseUpdate.objects.get(pk=update.pk), staff)
    task_state = CaseUpdate.objects.get(pk=update.pk).current_workflow_task_state
    with contextlib.suppress(ApprovalRefused):
        act(task_state, reviewer, "approve", **FULL_CHECKLIST)
    assert not CaseUpdate.objects.get(pk=update.pk).live


def test_an_unreviewed_revision_of_a_live_update_never_goes_live_by_schedule(case):
    from django.core.management import call_command
    from django.utils import timezone

    update = make_update(case)
    update.title = CANARY
    revision = update.save_revision()
    revision.approved_go_live_at = timezone.now() - timezone.timedelta(minutes=1)
    revision.save(update_fields=["approved_go_live_at"])
    with contextlib.suppress(Exception):  # refused is safe: what matters is what is live
        call_command("publish_scheduled")
    assert CANARY not in Client().get(CaseUpdate.objects.get(pk=update.pk).url).content.decode()


# --- Restricted and draft cases: nothing of their updates in any public output ---------------


def test_no_public_output_shows_an_update_of_a_restricted_case(case):
    update = make_update(case, title=CANARY, milestone=update_milestone(title=CANARY))
    client = Client()
    seen = [url for url in public_urls(case, update) if shows(client, url)]
    assert len(seen) >= 12, seen  # the sweep sees the update while the case is public
    restrict(case)
    for url in public_urls(case, update):
        assert not shows(client, url), url


def test_a_restricted_case_update_sends_no_email(case, django_capture_on_commit_callbacks):
    make_donation(case, status=PaymentStatus.CONFIRMED, billing_email="d@example.org", hear_back=True)
    restrict(case)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        update = make_update(case, title=CANARY)
    deliver_update(update.pk)
    assert not mail.outbox


def test_a_restricted_case_update_is_not_in_a_supporters_account(client, case):
    from tests.donations.donor_helpers import confirmed_donor

    make_update(case, title=CANARY)
    restrict(case)
    donor = confirmed_donor(client)
    make_donation(case, status=PaymentStatus.CONFIRMED, billing_email=donor.email, donor=donor)
    client.login(username=donor.username, password="a long donor passphrase 42")
    assert CANARY not in client.get("/donations/account/").content.decode()


@pytest.mark.parametrize("restricted", ["update", "case"])
def test_a_restricted_page_has_no_meta_tags_even_for_a_visitor_who_passed(case, restricted):
    update = make_update(case, search_description=CANARY, narrative=f"<p>{CANARY} in her shop.</p>")
    restriction = restrict(update if restricted == "update" else case)
    client = Client()
    session = client.session
    session[PageViewRestriction.passed_view_restrictions_session_key] = [restriction.pk]
    session.save()
    html = client.get(update.url).content.decode()
    assert CANARY in html  # she passed: the page itself is shown
    assert 'name="description"' not in html
    assert "og:" not in html
    if restricted == "case":
        html = client.get(case.url).content.decode()
        assert "Recruited at 16" in html
        assert "og:" not in html
        assert 'name="description"' not in html
    if restricted == "update":  # the case is public: its tags are there, from its own text
        assert "og:title" in Client().get(case.url).content.decode()


def test_email_content_is_public_text_only(case, django_capture_on_commit_callbacks):
    make_donation(
        case,
        status=PaymentStatus.CONFIRMED,
        billing_email="d@example.org",
        hear_back=True,
        display_name="Qzdonorname",
        anonymous=True,
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        update = make_update(case, search_description="Qzsearchonly", seo_title="Qzseoonly")
    deliver_update(update.pk)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    whole = message.subject + message.body + message.alternatives[0][0] + str(message.extra_headers)
    for private in ("Qzsearchonly", "Qzseoonly", "Qzdonorname", "CO-17", case.case_officer_reference):
        assert private not in whole


# --- Unsubscribe tokens --------------------------------------------------------------------


def hearing(case, email):
    return Donation.objects.filter(case=case, billing_email=email, hear_back=True).exists()


def test_an_unsubscribe_token_works_for_its_case_and_donor_only(case, other_case):
    for page in (case, other_case):
        for email in ("a@example.org", "b@example.org"):
            make_donation(page, status=PaymentStatus.CONFIRMED, billing_email=email, hear_back=True)
    token = unsubscribe_token(case.pk, "a@example.org")
    client = Client()
    assert client.get(reverse("sixdegree_donations:unsubscribe_updates", args=[token])).status_code == 200
    assert not hearing(case, "a@example.org")
    assert hearing(case, "b@example.org")
    assert hearing(other_case, "a@example.org")


@pytest.mark.parametrize("how", ["other-case", "other-donor", "truncated", "garbage", "unsigned"])
def test_a_forged_unsubscribe_token_changes_nothing(case, other_case, how):
    from django.core import signing

    make_donation(other_case, status=PaymentStatus.CONFIRMED, billing_email="b@example.org", hear_back=True)
    token = unsubscribe_token(case.pk, "a@example.org")
    # A token is "payload:timestamp:signature" (`signing.dumps` is timestamped).
    _payload, timestamp, signature = token.split(":")
    # Another donor's real digest and case in the payload, the timestamp and signature kept.
    other_donor = signing.b64_encode(
        json.dumps({"c": other_case.pk, "a": address_digest("b@example.org")}, separators=(",", ":")).encode()
    ).decode()
    forged = {
        # The case id and the digest swapped into a valid token's payload, old signature kept.
        "other-case": signing.dumps({"c": other_case.pk, "a": "0" * 64}, salt="x").rpartition(":")[0]
        + ":"
        + signature,
        "other-donor": f"{other_donor}:{timestamp}:{signature}",
        "truncated": token[:-3],
        "garbage": "not-a-token",
        "unsigned": signing.dumps({"c": other_case.pk, "a": "0" * 64}, key="guessed-key"),
    }[how]
    assert read_unsubscribe_token(forged) is None
    answer = Client().get(reverse("sixdegree_donations:unsubscribe_updates", args=[forged]))
    assert answer.status_code == 400
    assert hearing(other_case, "b@example.org")


# --- The page cache: holes and restricted figures -------------------------------------------


@pytest.fixture
def page_cache(settings):
    settings.SIXDEGREE_PAGE_CACHE = {
        "BACKEND": "sixdegree_cases.caching.backends.DjangoCachePageCache",
        "TIMEOUT": 600,
        "PAGE_TYPES": ["sixdegree_cases.SurvivorCasePage", "sixdegree_cases.CaseIndexPage", "home.HomePage"],
        "SKIP_PATHS": ["/admin/", "/api/", "/donations/", "/payments/"],
    }
    default_cache.clear()
    yield get_page_cache()
    default_cache.clear()


def test_a_hole_marker_written_by_an_editor_is_never_filled(case, other_case, page_cache):
    """An editor pastes a marker (the nonce format is public) into an update, hoping the cache
    fills it with another case's figures or with the whole donate form."""
    marker = "<!--sixdegree-hole:" + "0" * 32 + ":0-->"
    # Past the checks (they block the marker's run of digits as an ID-like number): the cache
    # must hold even if a marker reached a live page.
    make_update(case, narrative=f"<p>{marker} She sews.</p>", title=f"Sewing {marker}", require_checks=False)
    client = Client()
    first = client.get(case.url)
    second = client.get(case.url)
    assert second["X-Page-Cache"] == "hit"
    # Served from the cache exactly as rendered: the pasted marker is left as the text it is.
    assert first.content == second.content
    assert second.content.decode().count(marker) == first.content.decode().count(marker) >= 1


def test_the_cache_never_serves_a_restricted_case(case, page_cache, django_capture_on_commit_callbacks):
    client = Client()
    for url in ("/", case.get_parent().url, case.url):
        client.get(url)
        assert client.get(url)["X-Page-Cache"] == "hit", url
    assert case.url in client.get("/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        restrict(case)
    for url in ("/", case.get_parent().url):
        html = client.get(url).content.decode()
        assert case.url not in html, url
    assert "Recruited at 16" not in client.get(case.url).content.decode()


def test_withdrawal_leaves_no_update_in_cached_pages_feeds_or_deliveries(
    case, page_cache, django_capture_on_commit_callbacks
):
    from sixdegree_cases.donations.models import UpdateDelivery
    from sixdegree_cases.privacy import withdraw_consent
    from tests.privacy.helpers import OFFICER_PERMISSIONS, user_with

    make_donation(case, status=PaymentStatus.CONFIRMED, billing_email="d@example.org", hear_back=True)
    with django_capture_on_commit_callbacks(execute=True):
        update = make_update(case, title=CANARY, narrative=f"<p>{CANARY} sews.</p>")
    deliver_update(update.pk)
    client = Client()
    urls = ["/", case.get_parent().url, case.url, reverse("sixdegree_cases:updates_feed")]
    for url in urls:
        client.get(url)
        assert CANARY in client.get(url).content.decode(), url  # warm, and seen before
    with django_capture_on_commit_callbacks(execute=True):
        withdraw_consent(case, user_with("officer", OFFICER_PERMISSIONS))
    for url in [*urls, update.url, f"/api/v2/pages/{update.pk}/"]:
        assert CANARY not in client.get(url).content.decode(), url
    # What stays is bookkeeping: a digest per address, never the text or the address.
    stored = str(list(UpdateDelivery.objects.values()))
    assert CANARY not in stored
    assert "d@example.org" not in stored
    mail.outbox.clear()
    deliver_update(update.pk)
    assert not mail.outbox


def test_the_privacy_dialog_cannot_open_a_restricted_case_with_live_updates(client, superuser, case_index):
    from wagtail.models import BaseViewRestriction

    case = make_case_page(case_index, title="Behind a password", slug="behind")
    record_consent(case)
    restriction = restrict(case)
    update = make_update(case, title=CANARY)
    assert update.live
    client.force_login(superuser)
    client.post(
        reverse("wagtailadmin_pages:set_privacy", args=[case.pk]),
        {"restriction_type": BaseViewRestriction.NONE},
    )
    assert PageViewRestriction.objects.get(pk=restriction.pk).restriction_type == BaseViewRestriction.PASSWORD
    client.logout()
    for url in public_urls(case, update):
        assert not shows(client, url), url


def test_bulk_publishing_a_case_with_its_descendants_leaves_an_unreviewed_update_a_draft(
    client, superuser, case
):
    update = make_update(case, publish=False, title=CANARY, slug="unreviewed")
    client.force_login(superuser)
    url = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "publish"]) + f"?id={case.pk}"
    client.post(url, {"include_descendants": "on"}, follow=True)
    assert not CaseUpdate.objects.get(pk=update.pk).live


def test_publishing_an_unapproved_revision_of_a_live_update_is_refused(case):
    from sixdegree_cases.review.guard import UnreviewedRevisionError

    update = make_update(case)
    update.title = CANARY
    revision = update.save_revision()
    with pytest.raises(UnreviewedRevisionError):
        revision.publish()
    assert CANARY not in Client().get(CaseUpdate.objects.get(pk=update.pk).url).content.decode()


def test_an_update_restricted_on_its_own_leaves_every_public_output(case):
    update = make_update(case, title=CANARY, milestone=update_milestone(title=CANARY))
    restrict(update)
    client = Client()
    for url in public_urls(case, update):
        assert not shows(client, url), url
    assert client.get(case.url).status_code == 200


@pytest.mark.parametrize("how", ["restricted", "unpublished"])
def test_a_cached_case_page_drops_an_update_taken_off_line(
    case, page_cache, django_capture_on_commit_callbacks, how
):
    from wagtail.actions.unpublish_page import UnpublishPageAction

    with django_capture_on_commit_callbacks(execute=True):
        update = make_update(case, title=CANARY)
    client = Client()
    urls = ["/", case.get_parent().url, case.url]
    for url in urls:
        client.get(url)
        answer = client.get(url)
        assert answer["X-Page-Cache"] == "hit", url
        assert CANARY in answer.content.decode(), url
    with django_capture_on_commit_callbacks(execute=True):
        if how == "restricted":
            restrict(update)
        else:
            UnpublishPageAction(CaseUpdate.objects.get(pk=update.pk), user=None).execute(
                skip_permission_checks=True
            )
    for url in urls:
        assert CANARY not in client.get(url).content.decode(), url


def test_a_reviewer_who_uploaded_the_update_illustration_cannot_approve_it(
    case, staff, reviewer, fake_checks
):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from wagtail.images import get_image_model

    from sixdegree_cases.review.services import ApprovalRefused
    from tests.privacy.helpers import jpeg_bytes, landscape
    from tests.review.helpers import FULL_CHECKLIST, act, submit

    image = get_image_model()(
        title="A sewing table",
        file=SimpleUploadedFile("table.jpg", jpeg_bytes(landscape())),
        uploaded_by_user=reviewer,
    )
    image.save()
    update = make_update(case, publish=False, illustration=image, illustration_alt="A sewing table")
    task_state = submit(CaseUpdate.objects.get(pk=update.pk), staff)
    with pytest.raises(ApprovalRefused):
        act(task_state, reviewer, "approve", **FULL_CHECKLIST)
    assert not CaseUpdate.objects.get(pk=update.pk).live


def test_a_copy_of_a_live_case_kept_live_brings_no_update_live(case, superuser):
    make_update(case, title=CANARY)
    try:
        copy = case.copy(
            recursive=True,
            to=case.get_parent(),
            update_attrs={"slug": "her-story-copy", "title": "Copy"},
            keep_live=True,
            user=superuser,
        )
    except Exception:  # noqa: BLE001 - a refusal is the safe outcome
        return
    assert not CaseUpdate.objects.descendant_of(copy).live().exists()


@pytest.mark.parametrize("how", ["restricted", "unpublished", "case-restricted"])
def test_an_update_taken_off_line_before_its_mail_task_runs_is_not_mailed(case, how):
    from wagtail.actions.unpublish_page import UnpublishPageAction

    make_donation(case, status=PaymentStatus.CONFIRMED, billing_email="d@example.org", hear_back=True)
    update = make_update(case, title=CANARY)  # its task is queued on commit: not run yet
    if how == "restricted":
        restrict(update)
    elif how == "case-restricted":
        restrict(case)
    else:
        UnpublishPageAction(CaseUpdate.objects.get(pk=update.pk), user=None).execute(
            skip_permission_checks=True
        )
    mail.outbox.clear()
    assert deliver_update(update.pk) == 0
    assert not mail.outbox


def test_the_update_mail_is_sent_when_nothing_took_it_off_line(case):
    """The control of the test above: the same set-up mails the donor."""
    make_donation(case, status=PaymentStatus.CONFIRMED, billing_email="d@example.org", hear_back=True)
    update = make_update(case, title=CANARY)
    mail.outbox.clear()
    assert deliver_update(update.pk) == 1
    assert CANARY in mail.outbox[0].subject + mail.outbox[0].body


def test_an_update_approved_under_a_draft_case_leaks_nowhere(case_index):
    """The case is still a draft (its pseudonym, its story unreviewed); its update is approved
    and published on its own. Nothing of it may show until the case itself is live."""
    draft = make_case_page(case_index, publish=False, title="Draft", slug="draft-case", pseudonym="Kenanga")
    record_consent(draft)
    try:
        update = make_update(draft, title=CANARY, milestone=update_milestone(title=CANARY))
    except Exception:  # noqa: BLE001 - refusing to publish it is the safe outcome
        return
    client = Client()
    leaks = [url for url in public_urls(draft, update) if shows(client, url)]
    assert not leaks


# --- Donors' addresses: one donor against the others --------------------------------------


REFUSED = "bounce@example.org"  # refused by the mail server (tests.updates.mail_backends)


def test_an_address_the_mail_server_refuses_never_silences_the_other_donors(case, settings):
    """A donor gives first, with an address the server refuses (a dead mailbox, or one chosen to
    be refused): every run claims that row first. The other donors still get the update, and
    the refused address is not tried for ever."""
    from sixdegree_cases.donations.models import UpdateDelivery
    from sixdegree_cases.donations.update_mail import MAX_ATTEMPTS

    settings.EMAIL_BACKEND = "tests.updates.mail_backends.RefusesOneAddressBackend"
    settings.SIXDEGREE_UPDATE_MAIL_BATCH = 2
    make_donation(case, status=PaymentStatus.CONFIRMED, billing_email=REFUSED, hear_back=True)
    others = [f"donor{number}@example.org" for number in range(5)]
    for email in others:
        make_donation(case, status=PaymentStatus.CONFIRMED, billing_email=email, hear_back=True)
    update = make_update(case)
    mail.outbox.clear()
    deliver_update(update.pk)
    assert sorted(address for message in mail.outbox for address in message.to) == others
    refused = UpdateDelivery.objects.get(update=update, status=UpdateDelivery.Status.FAILED)
    assert refused.attempts == 1
    for _run in range(MAX_ATTEMPTS + 2):
        deliver_update(update.pk)
    refused.refresh_from_db()
    assert refused.attempts == MAX_ATTEMPTS
    assert len(mail.outbox) == len(others)


def test_no_update_email_names_another_donor(case, django_capture_on_commit_callbacks):
    """Each e-mail goes to one donor: no shared To, no Cc or Bcc, no other donor's address
    anywhere in it (a list of recipients would tell donors who else gave)."""
    emails = [f"donor{number}@example.org" for number in range(4)]
    for email in emails:
        make_donation(case, status=PaymentStatus.CONFIRMED, billing_email=email, hear_back=True)
    # The same person twice, written differently: still one e-mail, to one address.
    make_donation(case, status=PaymentStatus.CONFIRMED, billing_email=" DONOR0@Example.org", hear_back=True)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        make_update(case)
    assert sorted(message.to[0] for message in mail.outbox) == emails
    for message in mail.outbox:
        assert len(message.to) == 1
        assert not message.cc
        assert not message.bcc
        assert not message.reply_to
        whole = message.message().as_string().lower()
        for other in emails:
            if other != message.to[0]:
                assert other not in whole, (message.to, other)


# --- An illustration changed after the approval ----------------------------------------------


@pytest.mark.parametrize("where", ["illustration", "milestone"])
def test_an_update_image_replaced_after_approval_never_shows_unreviewed(case, client, where):
    """The update is approved with a drawing; then the drawing's file is replaced by a face,
    in the admin (refused) and straight in the storage (the tripwire takes the update down)."""
    from django.contrib.auth import get_user_model
    from django.core.files.uploadedfile import SimpleUploadedFile
    from wagtail.images import get_image_model

    from sixdegree_cases.review.audit import audit_live_pages
    from tests.live.test_pinned_images import edit_form, stored_bytes
    from tests.privacy.helpers import astronaut, jpeg_bytes, landscape, upload_image

    drawing = upload_image(jpeg_bytes(landscape()), title="A sewing table")
    if where == "illustration":
        update = make_update(case, title=CANARY, illustration=drawing, illustration_alt="A sewing table")
    else:
        milestone = update_milestone(title=CANARY)
        milestone[0][1]["illustration"] = {"image": drawing, "decorative": False, "alt_text": "A table"}
        update = make_update(case, title=CANARY, milestone=milestone)
    assert update.live
    before = stored_bytes(drawing)
    admin = get_user_model().objects.create_superuser("root", "root@example.org", "a long passphrase 7")
    client.force_login(admin)
    face = SimpleUploadedFile("new.jpg", jpeg_bytes(astronaut()), content_type="image/jpeg")
    client.post(reverse("wagtailimages:edit", args=[drawing.pk]), edit_form(drawing, file=face))
    assert stored_bytes(drawing) == before
    client.logout()

    image = get_image_model().objects.get(pk=drawing.pk)
    with image.file.storage.open(image.file.name, "wb") as handle:
        handle.write(jpeg_bytes(astronaut()))
    audit_live_pages()
    assert not CaseUpdate.objects.get(pk=update.pk).live
    for url in public_urls(case, update):
        assert not shows(Client(), url), url
