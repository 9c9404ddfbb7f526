"""Red team, session 16: the one-statement confirmation with its lean callback lookup, update
e-mails retried from the minutely `send_receipts`, and the gazetteer preloaded in gunicorn's master.

Each test asserts the safe behaviour. An attack that holds stays as a regression test; a hole
still open is an `OPEN_HOLE` (a strict xfail, see tests/redteam/test_attacks.py).
"""

import json
import subprocess
import sys
import textwrap
import threading
import time
from decimal import Decimal
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.db.models import Sum
from django.test import Client
from django.test.utils import CaptureQueriesContext
from payments import PaymentStatus
from payments.signals import status_changed
from wagtail.models import PageViewRestriction

from sixdegree_cases.donations.models import CaseFunding, Donation, UpdateDelivery
from sixdegree_cases.donations.receipts import send_due
from sixdegree_cases.donations.update_mail import address_digest, unsubscribe
from tests.donations.conftest import checkout_event, launch_date, make_donation, post_event, refund_event
from tests.donations.test_concurrency import run_concurrently
from tests.factories import make_case_index, make_case_page, make_home
from tests.updates.mail_backends import RefusesOneAddressBackend

BASE_DIR = Path(__file__).resolve().parents[2]

# What a donor told us: none of it may change because a provider called back.
DONOR = {
    "billing_email": "Ana.Giver@example.org",
    "billing_first_name": "Ana",
    "billing_last_name": "Lim",
    "billing_city": "Phnom Penh",
    "billing_phone": "+85512345678",
    "customer_ip_address": "203.0.113.9",
    "display_name": "Ana L.",
    "show_country": True,
    "anonymous": False,
    "hear_back": True,
}


def donor_columns(pk):
    return Donation.objects.filter(pk=pk).values(*DONOR, "donor_id", "name_hidden").get()


def assert_totals_are_the_confirmed_gifts(case):
    funding = CaseFunding.objects.get(case_id=case.pk)
    counted = Donation.objects.filter(case=case, counted_amount__gt=0)
    assert funding.raised == (counted.aggregate(s=Sum("counted_amount"))["s"] or Decimal("0"))
    assert funding.donors == counted.count()


def donation_selects(queries):
    return [q["sql"] for q in queries if q["sql"].startswith("SELECT") and "donations_donation" in q["sql"]]


# --- 1. Confirmations: money exact, donor columns untouched --------------------------------------


@pytest.mark.django_db
def test_a_stripe_webhook_reads_no_donor_column_and_writes_none(client, case, stripe_variant):
    """The Stripe path (unlike the dummy one) locks, refreshes and `save()`s the lean donation.
    Its lock read the whole row back (the donor's e-mail, name, address, IP: fixed, the lock is
    now the refresh); a save() writing every field would fetch each deferred column back, one
    SELECT each, and write it."""
    donation = make_donation(case, "50.00", variant=stripe_variant, **DONOR)
    before = donor_columns(donation.pk)

    with CaptureQueriesContext(connection) as queries:
        assert post_event(client, checkout_event(donation, event_id="evt_c")).status_code == 200
    # The lookup by token, then the lock that is the refresh: neither reads a donor column.
    selects = donation_selects(queries.captured_queries)
    assert len(selects) == 2, selects
    assert not [sql for sql in selects if "billing_email" in sql or "customer_ip_address" in sql], selects
    written = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("UPDATE")]
    assert not [sql for sql in written if "billing_email" in sql or "display_name" in sql], written

    # A refund (rare) locks whole rows in `record_refund`, but fetches nothing column by column.
    with CaptureQueriesContext(connection) as queries:
        assert post_event(client, refund_event(donation, event_id="evt_r")).status_code == 200
    assert len(donation_selects(queries.captured_queries)) <= 4, donation_selects(queries.captured_queries)

    assert donor_columns(donation.pk) == before
    stored = Donation.objects.get(pk=donation.pk)
    assert (stored.status, stored.counted_amount) == (PaymentStatus.REFUNDED, Decimal("0.00"))
    assert_totals_are_the_confirmed_gifts(case)


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["dummy", "stripe"])
def test_a_status_changed_receiver_reading_donor_fields_in_a_callback_reads_the_stored_ones(
    client, case, stripe_variant, path, django_capture_on_commit_callbacks
):
    """A host site's `status_changed` receiver (a thank-you of its own) reads the donor's
    fields on the lean instance: it gets what is stored, never an empty default, and the
    receipt still goes once, to the donor's address."""
    donation = make_donation(case, "50.00", variant=path, **DONOR)
    seen = []

    def host_receiver(sender, instance, **kwargs):
        seen.append({name: getattr(instance, name) for name in DONOR})

    status_changed.connect(host_receiver, dispatch_uid="redteam-host-receiver")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            if path == "dummy":
                response = client.get(
                    donation.get_process_url(), {"verification_result": PaymentStatus.CONFIRMED}
                )
                assert response.status_code == 302
            else:
                assert post_event(client, checkout_event(donation)).status_code == 200
    finally:
        status_changed.disconnect(dispatch_uid="redteam-host-receiver")

    assert seen
    assert all(values == DONOR for values in seen), seen
    assert donor_columns(donation.pk)["billing_email"] == DONOR["billing_email"]
    send_due()
    receipts = [m for m in mail.outbox if "Receipt" in m.subject or "receipt" in m.body.lower()]
    assert [m.to for m in receipts] == [[DONOR["billing_email"]]], [(m.to, m.subject) for m in mail.outbox]
    assert_totals_are_the_confirmed_gifts(case)


GIFTS = 25


def test_twenty_five_gifts_each_delivered_twice_at_once_count_once_and_keep_their_donors(site_db):
    """50 callbacks at once (each gift's confirmation twice, the dummy path): every gift counts
    once, the totals are the confirmed gifts, every donor's columns are as given, one receipt
    each."""
    case = make_case_page(
        make_case_index(make_home()),
        launch_date=launch_date(),
        items=[("vocational_training", "Sewing course and machine", Decimal("5000.00"))],
    )
    gifts = [
        make_donation(
            case,
            f"{10 + i}.37",
            **{**DONOR, "billing_email": f"giver{i}@example.org", "display_name": f"Giver {i}"},
        )
        for i in range(GIFTS)
    ]
    before = {gift.pk: donor_columns(gift.pk) for gift in gifts}
    mail.outbox.clear()

    def deliver(i):
        gift = gifts[i % GIFTS]
        response = Client().get(gift.get_process_url(), {"verification_result": PaymentStatus.CONFIRMED})
        return response.status_code

    assert run_concurrently(2 * GIFTS, deliver) == [302] * (2 * GIFTS)
    send_due()

    funding = CaseFunding.objects.get(case_id=case.pk)
    expected = sum((Decimal(f"{10 + i}.37") for i in range(GIFTS)), Decimal("0"))
    assert (funding.raised, funding.donors) == (expected, GIFTS)
    assert_totals_are_the_confirmed_gifts(case)
    assert {gift.pk: donor_columns(gift.pk) for gift in gifts} == before
    receipts = sorted(m.to[0] for m in mail.outbox)
    assert receipts == sorted(f"giver{i}@example.org" for i in range(GIFTS))


@pytest.mark.django_db
@pytest.mark.parametrize("how", ["unpublished", "withdrawn"])
def test_a_gift_paid_after_its_case_went_off_line_is_counted_once_and_its_receipt_tells_no_story(
    client, case, how, django_capture_on_commit_callbacks
):
    """The donor was charged: the gift counts (money is never lost from the books), once, and
    a repeat or a late failure changes nothing; the receipt of a withdrawn case carries
    neither its pseudonym nor a link to a page that no longer exists."""
    from sixdegree_cases.privacy import withdraw_consent
    from tests.privacy.helpers import OFFICER_PERMISSIONS, user_with

    donation = make_donation(case, "80.00", **DONOR)
    donation.change_status(PaymentStatus.INPUT)
    with django_capture_on_commit_callbacks(execute=True):
        if how == "unpublished":
            case.unpublish()
        else:
            withdraw_consent(case, user_with("officer", OFFICER_PERMISSIONS))
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        for result in (PaymentStatus.CONFIRMED, PaymentStatus.CONFIRMED, PaymentStatus.REJECTED):
            response = client.get(donation.get_process_url(), {"verification_result": result})
            assert response.status_code == 302
    send_due()

    stored = Donation.objects.get(pk=donation.pk)
    assert (stored.status, stored.counted_amount) == (PaymentStatus.CONFIRMED, Decimal("80.00"))
    assert_totals_are_the_confirmed_gifts(case)
    assert [m.to for m in mail.outbox] == [[DONOR["billing_email"]]]
    if how == "withdrawn":
        body = mail.outbox[0].body + "".join(str(a[0]) for a in getattr(mail.outbox[0], "alternatives", []))
        assert "Mawar" not in body
        assert case.url_path.strip("/").split("/")[-1] not in body
        # Said plainly, not with a blank where the pseudonym was.
        assert mail.outbox[0].subject.startswith("Your gift — receipt ")
        assert "For:       a survivor of human trafficking" in body
        assert "(a pseudonym)" not in body


# --- 2. Update e-mails from the minutely send_receipts -------------------------------------------


class SlowServerRefusingOneAddress(RefusesOneAddressBackend):
    """A mail server slow enough for two cron runs to overlap, refusing one mailbox."""

    tried = []

    def send_messages(self, messages):
        SlowServerRefusingOneAddress.tried.extend(m.to[0] for m in messages)
        time.sleep(0.05)
        return super().send_messages(messages)


def test_two_send_receipts_runs_at_once_send_one_email_per_donor_per_live_update(site_db, settings):
    """Two cron runs overlap (a slow mail server): each opted-in donor gets each live update
    once; the donor who unsubscribed, the update restricted after its first mailing, and a
    withdrawn case's update get nothing more."""
    from sixdegree_cases.privacy import withdraw_consent
    from tests.privacy.helpers import OFFICER_PERMISSIONS, record_consent, user_with
    from tests.updates.helpers import make_update

    settings.SIXDEGREE_UPDATE_MAIL_BATCH = 2
    settings.EMAIL_BACKEND = f"{__name__}.SlowServerRefusingOneAddress"
    SlowServerRefusingOneAddress.tried = []
    index = make_case_index(make_home())
    case = make_case_page(index, slug="open-case", launch_date=launch_date())
    gone = make_case_page(index, slug="gone-case", launch_date=launch_date(), pseudonym="Anggrek")
    record_consent(case)
    record_consent(gone)
    donors = [f"d{i}@example.org" for i in range(6)] + [RefusesOneAddressBackend.refused]
    for email in donors:
        make_donation(case, status=PaymentStatus.CONFIRMED, billing_email=email, hear_back=True)
    make_donation(gone, status=PaymentStatus.CONFIRMED, billing_email="g@example.org", hear_back=True)
    first = make_update(case, title="First steps")
    second = make_update(case, title="Second steps")
    restricted = make_update(case, title="Held back")
    gone_update = make_update(gone, title="Withdrawn story")
    # What publishing queued is owed (as after a mail server outage), nothing sent yet.
    UpdateDelivery.objects.all().delete()
    for update in (first, second, restricted, gone_update):
        UpdateDelivery.objects.bulk_create(
            [
                UpdateDelivery(update=update, address_digest=address_digest(email))
                for email in (["g@example.org"] if update is gone_update else donors)
            ]
        )
    unsubscribe(case.pk, address_digest("d0@example.org"))
    PageViewRestriction.objects.create(
        page=restricted, restriction_type=PageViewRestriction.PASSWORD, password="long-secret-9"
    )
    withdraw_consent(gone, user_with("officer", OFFICER_PERMISSIONS))
    mail.outbox.clear()
    SlowServerRefusingOneAddress.tried = []

    for _minute in range(6):  # two overlapping runs a minute, for six minutes
        run_concurrently(2, lambda _i: call_command("send_receipts"))

    sent = sorted((m.to[0], m.subject) for m in mail.outbox)
    assert all("Held back" not in subject and "Withdrawn" not in subject for _to, subject in sent), sent
    assert "g@example.org" not in {to for to, _ in sent}
    assert "d0@example.org" not in {to for to, _ in sent}
    per_donor = {}
    for to, subject in sent:
        per_donor.setdefault(to, []).append(subject)
    assert sorted(per_donor) == [f"d{i}@example.org" for i in range(1, 6)], sent
    for to, subjects in per_donor.items():
        assert sorted(subjects) == sorted(set(subjects)), (to, subjects)
        assert len(subjects) == 2, (to, subjects)
    # The refused mailbox: tried once a run per update, given up after five refusals in all.
    refused = [to for to in SlowServerRefusingOneAddress.tried if to == RefusesOneAddressBackend.refused]
    assert set(
        UpdateDelivery.objects.filter(address_digest=address_digest(RefusesOneAddressBackend.refused))
        .exclude(update=restricted)
        .values_list("status", "attempts")
    ) == {(UpdateDelivery.Status.FAILED, 5)}
    assert len(refused) == 2 * 5, SlowServerRefusingOneAddress.tried


# --- 3. The gazetteer preloaded in gunicorn's master ---------------------------------------------

MASTER = textwrap.dedent(
    """
    import json
    import os

    def sockets():
        found = []
        for fd in os.listdir("/proc/self/fd"):
            try:
                link = os.readlink(f"/proc/self/fd/{fd}")
            except FileNotFoundError:  # the directory's own descriptor, closed by now
                continue
            if link.startswith("socket:"):
                found.append(link)
        return sorted(found)

    before = sockets()
    import sixdegree_site.wsgi  # what gunicorn's master imports before it forks (preload_app)
    from django.db import connections
    from sixdegree_cases.geo import gazetteer

    print(json.dumps({
        "new sockets": [s for s in sockets() if s not in before],
        "db connections": [c.connection is not None for c in connections.all()],
        "gazetteers": gazetteer._load.cache_info().currsize,
    }))
    """
)


def test_the_master_preloads_with_production_settings_and_forks_no_socket(tmp_path):
    """gunicorn's master under production settings, Redis as cache and page cache: after the
    preload, no database connection and no Redis socket is open to be shared by the workers
    it forks (a socket shared across fork mixes replies between workers). A local listener
    stands in for Redis and counts who connects."""
    import socket

    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.5)
    port = listener.getsockname()[1]
    accepted = []

    def accept():
        while True:
            try:
                accepted.append(listener.accept()[0])
            except TimeoutError:
                continue
            except OSError:  # closed: the master has exited
                return

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "sixdegree_site.settings.production",
        "DJANGO_SECRET_KEY": "x" * 60,
        "DJANGO_ALLOWED_HOSTS": "example.org",
        # Never connected to: the check is that nothing connects at all.
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/postgres",
        "REDIS_URL": f"redis://127.0.0.1:{port}/0",
        "SIXDEGREE_PAGE_CACHE_URL": f"redis://127.0.0.1:{port}/1",
        "SIXDEGREE_MEDIA_STORAGE": "local",
        "SIXDEGREE_PAYMENTS_TEST_MODE": "1",
        "MEDIA_ROOT": str(tmp_path),
    }
    try:
        result = subprocess.run(
            [sys.executable, "-c", MASTER], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=180
        )
    finally:
        listener.close()
        thread.join(timeout=5)
    assert result.returncode == 0, result.stdout + result.stderr
    state = json.loads(result.stdout.strip().splitlines()[-1])
    assert state["gazetteers"] == 1, result.stderr  # it did preload
    assert state["new sockets"] == [], state
    assert state["db connections"] == [False], state
    assert accepted == [], "the master connected to Redis while preloading"


def test_a_missing_gazetteer_file_neither_deadlocks_nor_is_remembered(settings, monkeypatch):
    """The lock around the load: a load that fails (a data file missing) releases it, every
    thread asking at once gets the error (none waits forever), and once the file is back the
    gazetteer loads, with the settings in force then."""
    from sixdegree_cases.geo import gazetteer
    from sixdegree_cases.geo.snapping import current_gazetteer

    settings.SIXDEGREE_PLACE_CLEARANCE_KM = 6.5  # not a gazetteer another test loaded already
    gazetteer._load.cache_clear()
    real = gazetteer.DATA_DIR
    monkeypatch.setattr(gazetteer, "DATA_DIR", Path("/nonexistent"))
    outcomes = []

    def ask():
        try:
            current_gazetteer()
            outcomes.append("loaded")
        except OSError as error:
            outcomes.append(type(error).__name__)

    threads = [threading.Thread(target=ask, daemon=True) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)
    assert not any(thread.is_alive() for thread in threads), "a thread waits on the gazetteer's lock"
    assert outcomes == ["FileNotFoundError"] * 4

    monkeypatch.setattr(gazetteer, "DATA_DIR", real)
    loaded = current_gazetteer()
    assert (loaded.min_population, loaded.clearance_km) == (settings.SIXDEGREE_MIN_PLACE_POPULATION, 6.5)
    settings.SIXDEGREE_PLACE_CLEARANCE_KM = 5
    assert current_gazetteer() is not loaded


# --- 4. A case status past fundraising closes giving ---------------------------------------------


@pytest.fixture
def lifecycle_page_cache(settings):
    from django.core.cache import cache as default_cache

    settings.SIXDEGREE_PAGE_CACHE = {
        "BACKEND": "sixdegree_cases.caching.backends.DjangoCachePageCache",
        "TIMEOUT": 60,
        "PAGE_TYPES": ["sixdegree_cases.SurvivorCasePage", "sixdegree_cases.CaseIndexPage", "home.HomePage"],
        "SKIP_PATHS": ["/admin/", "/api/", "/donations/", "/payments/"],
    }
    default_cache.clear()
    yield
    default_cache.clear()


@pytest.mark.django_db
def test_the_admin_status_screen_keeps_cached_pages_and_the_giving_api_in_step(
    client, case, superuser, settings, lifecycle_page_cache, django_capture_on_commit_callbacks
):
    """A case officer works the "Case status" screen: completed, then the row deleted (a
    careless clean-up). Whatever the API answers, the cached case page says the same."""
    from django.urls import reverse

    from sixdegree_cases.updates.lifecycle import CaseLifecycle, CaseStatus
    from tests.donations.test_lifecycle_closes_giving import FORM, cached, give_by_api

    admin = Client()
    admin.force_login(superuser)
    assert FORM in cached(client, case.url)

    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(reverse("case_status:add"), {"case": case.pk, "status": CaseStatus.COMPLETED})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert FORM not in cached(client, case.url)
    assert give_by_api(client, case, settings).status_code == 409

    lifecycle = CaseLifecycle.objects.get(case=case)
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(reverse("case_status:delete", args=[lifecycle.pk]))
    assert response.status_code == 302
    api = give_by_api(client, case, settings).status_code
    page = client.get(case.url).content
    assert (FORM in page) == (api == 201), (api, FORM in page)


@pytest.mark.django_db
def test_stripe_gifts_across_a_status_set_back_and_forth_count_once_and_nothing_new_reaches_stripe(
    client, case, stripe_variant, settings, lifecycle_page_cache, django_capture_on_commit_callbacks
):
    """Completed, then corrected back to fundraising, then completed again: the gift already at
    Stripe is counted once however often its event comes; a gift not yet sent to Stripe is
    cancelled at the pay step (no Checkout Session is asked for: the API base is a dead
    address, so a request would fail with a 503, not a 409)."""
    from django.urls import reverse

    from sixdegree_cases.updates.lifecycle import CaseStatus, set_case_status
    from tests.donations.test_lifecycle_closes_giving import FORM, give_by_api

    settings.SIXDEGREE_STRIPE_API_BASE = "http://127.0.0.1:9"
    at_stripe = make_donation(case, "300.00", variant=stripe_variant, **DONOR)
    at_stripe.change_status(PaymentStatus.INPUT)
    at_stripe.transaction_id = "cs_test_a1"
    at_stripe.save()
    not_sent = make_donation(case, "40.00", variant=stripe_variant, billing_email="w@example.org")

    for status in (CaseStatus.COMPLETED, CaseStatus.FUNDRAISING, CaseStatus.COMPLETED):
        with django_capture_on_commit_callbacks(execute=True):
            set_case_status(case, status)
        with django_capture_on_commit_callbacks(execute=True):
            assert post_event(client, checkout_event(at_stripe)).status_code == 200
        open_now = status == CaseStatus.FUNDRAISING
        assert (FORM in client.get(case.url).content) is open_now
        assert give_by_api(client, case, settings).status_code == (201 if open_now else 409)

    response = client.get(reverse("sixdegree_donations:pay", kwargs={"token": not_sent.token}))
    assert response.status_code == 409
    not_sent.refresh_from_db()
    assert (not_sent.status, not_sent.transaction_id) == (PaymentStatus.CANCELLED, "")
    at_stripe.refresh_from_db()
    assert (at_stripe.status, at_stripe.counted_amount) == (PaymentStatus.CONFIRMED, Decimal("300.00"))
    assert donor_columns(at_stripe.pk) == {**donor_columns(at_stripe.pk), **DONOR}
    assert_totals_are_the_confirmed_gifts(case)
    assert CaseFunding.objects.get(case_id=case.pk).raised == Decimal("300.00")
