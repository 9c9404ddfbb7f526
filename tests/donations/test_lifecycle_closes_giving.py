"""A case the case officer moves past "fundraising" (funded, in progress, completed) takes no more
gifts, on every path, as reaching its target does (test_ceiling.py); a correction back to
"fundraising" reopens it. Checked with the page cache on: the closed form reaches cached pages,
the case index and the home page."""

import json
from decimal import Decimal

import pytest
from django.core.cache import cache as default_cache
from django.urls import reverse
from payments import PaymentStatus

from home.models import FeaturedCase
from sixdegree_cases.caching.backends import get_page_cache
from sixdegree_cases.donations.models import CaseFunding, Donation
from sixdegree_cases.review.services import approve_and_publish
from sixdegree_cases.updates.lifecycle import CaseStatus, set_case_status
from tests.factories import make_case_page

from .conftest import launch_date, make_donation

pytestmark = pytest.mark.django_db

API = "/api/v2/donations/"
FRONT = "https://front.example"
CACHE_HEADER = "X-Page-Cache"
PAST_FUNDRAISING = [CaseStatus.FUNDED, CaseStatus.IN_PROGRESS, CaseStatus.COMPLETED]
NOT_RAISING = "This case is no longer raising funds. Thank you! The donation form is closed."
FORM = b'class="donate-form"'
JUMP = b"data-donate-jump"


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.SIXDEGREE_PAGE_CACHE = {
        "BACKEND": "sixdegree_cases.caching.backends.DjangoCachePageCache",
        "TIMEOUT": 60,
        "PAGE_TYPES": ["sixdegree_cases.SurvivorCasePage", "sixdegree_cases.CaseIndexPage", "home.HomePage"],
        "SKIP_PATHS": ["/admin/", "/api/", "/donations/", "/payments/"],
    }
    default_cache.clear()
    yield get_page_cache()
    default_cache.clear()


@pytest.fixture
def case(case_index, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return make_case_page(case_index, launch_date=launch_date(), slug="mawar")


def accepts_gifts(client, case):
    """What a headless front-end reads to show its Donate button."""
    return client.get(f"/api/v2/pages/{case.pk}/").json()["accepts_gifts"]


def set_status(case, status, callbacks):
    with callbacks(execute=True):  # the pages are dropped on commit
        set_case_status(case, status)


def cached(client, url):
    """The page, served from the page cache."""
    client.get(url)
    response = client.get(url)
    assert response[CACHE_HEADER] == "hit", url
    return response.content


def give(client, case, amount="50"):
    data = {"amount": amount, "currency": case.currency, "email": "late@example.org", "anonymous": "on"}
    return client.post(reverse("sixdegree_donations:donate", kwargs={"case_id": case.pk}), data)


def give_by_api(client, case, settings):
    settings.SIXDEGREE_DONATION_ALLOWED_ORIGINS = [FRONT]
    body = {"case": case.pk, "amount": "25", "currency": "USD", "email": "h@example.org"}
    return client.post(API, data=json.dumps(body), content_type="application/json", HTTP_ORIGIN=FRONT)


@pytest.mark.parametrize("status", PAST_FUNDRAISING)
def test_moving_past_fundraising_closes_giving_everywhere(
    client, case, case_index, settings, status, django_capture_on_commit_callbacks
):
    page = cached(client, case.url)
    assert FORM in page
    assert JUMP in page
    assert case.url.encode() in cached(client, "/")
    cached(client, case_index.url)
    assert accepts_gifts(client, case) is True

    set_status(case, status, django_capture_on_commit_callbacks)

    page = cached(client, case.url)
    assert FORM not in page
    assert JUMP not in page, "the sticky Donate button goes with the form"
    assert NOT_RAISING.encode() in page
    assert case.url.encode() not in cached(client, "/"), "the home page's default list"
    index = cached(client, case_index.url)
    assert case.url.encode() in index, "the index still lists the case, with its status"
    assert str(status.label).encode() in index
    assert accepts_gifts(client, case) is False

    response = give(client, case)
    assert response.status_code == 409
    assert NOT_RAISING in response.content.decode()
    response = give_by_api(client, case, settings)
    assert response.status_code == 409
    assert response.json() == {"errors": {"case": [NOT_RAISING]}}
    assert not Donation.objects.exists()


def test_a_correction_back_to_fundraising_reopens_giving(
    client, case, settings, django_capture_on_commit_callbacks
):
    set_status(case, CaseStatus.COMPLETED, django_capture_on_commit_callbacks)
    assert FORM not in cached(client, case.url)

    set_status(case, CaseStatus.FUNDRAISING, django_capture_on_commit_callbacks)

    page = cached(client, case.url)
    assert FORM in page
    assert JUMP in page
    assert case.url.encode() in cached(client, "/")
    assert accepts_gifts(client, case) is True
    assert give(client, case).status_code == 302
    assert give_by_api(client, case, settings).status_code == 201


def test_a_gift_not_yet_at_the_provider_is_not_sent_there_after_the_case_closed(
    client, case, django_capture_on_commit_callbacks
):
    assert give(client, case, amount="100").status_code == 302
    waiting = Donation.objects.get()
    set_status(case, CaseStatus.COMPLETED, django_capture_on_commit_callbacks)

    response = client.get(reverse("sixdegree_donations:pay", kwargs={"token": waiting.token}))

    assert response.status_code == 409
    assert NOT_RAISING in response.content.decode()
    waiting.refresh_from_db()
    assert waiting.status == PaymentStatus.CANCELLED
    assert waiting.message == "The case stopped raising funds before payment."


def test_a_gift_in_flight_when_the_case_closed_is_kept_and_counted(
    client, case, django_capture_on_commit_callbacks
):
    late = make_donation(case, "300.00", billing_email="late@example.org")
    late.change_status(PaymentStatus.INPUT)  # at the provider's page
    set_status(case, CaseStatus.IN_PROGRESS, django_capture_on_commit_callbacks)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(late.get_process_url(), {"verification_result": PaymentStatus.CONFIRMED})
    assert response.status_code == 302

    late.refresh_from_db()
    assert late.status == PaymentStatus.CONFIRMED
    assert late.counted_amount == Decimal("300.00")
    totals = CaseFunding.objects.get(case_id=case.pk)
    assert (totals.raised, totals.donors) == (Decimal("300.00"), 1)
    page = client.get(case.url).content
    assert b'data-raised="300.00"' in page
    assert FORM not in page
    # The thank-you page of the kept gift still answers.
    assert client.get(reverse("sixdegree_donations:thanks", kwargs={"token": late.token})).status_code == 200


def test_the_home_page_lists_by_default_only_cases_still_taking_gifts(
    home, case_index, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        make_case_page(case_index, slug="raising", launch_date=launch_date(5))
        funded = make_case_page(case_index, slug="funded", launch_date=launch_date(4))
        done = make_case_page(case_index, slug="done", launch_date=launch_date(3))
        corrected = make_case_page(case_index, slug="corrected", launch_date=launch_date(2))
        make_donation(funded, "1500.00").change_status(PaymentStatus.CONFIRMED)
        set_case_status(done, CaseStatus.COMPLETED)
        set_case_status(corrected, CaseStatus.FUNDED)
        set_case_status(corrected, CaseStatus.FUNDRAISING)

    assert [c.slug for c in home.get_featured_cases()] == ["corrected", "raising"]


def test_cases_an_editor_chose_stay_as_chosen(home, case_index, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        done = make_case_page(case_index, slug="done", launch_date=launch_date(3))
        set_case_status(done, CaseStatus.COMPLETED)
    FeaturedCase.objects.create(page=home, case=done)
    approve_and_publish(home.save_revision(), require_checks=False)

    assert [c.slug for c in home.get_featured_cases()] == ["done"]
