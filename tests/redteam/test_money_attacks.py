"""Red team: attacks on the one-statement confirmation and the funding ceiling with surplus.

Each test is an attack by a careless editor, a hostile insider or a broken dependency. An attack
that holds is a plain regression test; a real hole that is not fixed here is an `OPEN_HOLE`
(a strict xfail, see tests/redteam/test_attacks.py): it fails the day the hole is closed.
Money must stay exact, the public sees only allow-listed figures, and nothing answers 500.
"""

import html
import json
from decimal import Decimal

import pytest
from django.core import mail
from django.db.models import Sum
from django.test import Client
from django.urls import reverse
from payments import PaymentStatus
from wagtail.models import Site

from sixdegree_cases.donations.models import CaseFunding, Donation, DonationPolicy
from sixdegree_cases.donations.progress import gift_surplus, progress_for
from sixdegree_cases.donations.totals import record_refund
from sixdegree_cases.models import FundingItem, SurvivorCasePage
from sixdegree_cases.review.services import approve_and_publish
from tests.donations.conftest import checkout_event, launch_date, make_donation, post_event, refund_event
from tests.donations.test_concurrency import run_concurrently
from tests.factories import make_case_index, make_case_page, make_home

pytestmark = pytest.mark.django_db

API = "/api/v2/donations/"
FRONT = "https://front.example"
NBSP = "\N{NO-BREAK SPACE}"


def confirm(client, donation):
    """The dummy provider's callback, through django-payments' own view."""
    response = client.get(donation.get_process_url(), {"verification_result": PaymentStatus.CONFIRMED})
    assert response.status_code == 302
    return Donation.objects.get(pk=donation.pk)


def in_flight(case, amount, **kwargs):
    donation = make_donation(case, amount, billing_email="late@example.org", **kwargs)
    donation.change_status(PaymentStatus.INPUT)
    return donation


def totals(case):
    funding = CaseFunding.objects.get(case_id=case.pk)
    return funding.raised, funding.donors


def status_json(client, donation):
    response = client.get(f"{API}{donation.token}/")
    assert response.status_code == 200
    return response.json()


def thanks_text(client, donation):
    response = client.get(reverse("sixdegree_donations:thanks", kwargs={"token": donation.token}))
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def set_policy(message, *, validate=True):
    policy = DonationPolicy.for_site(Site.objects.get(is_default_site=True))
    policy.surplus_message = message
    if validate:
        policy.full_clean()
    policy.save()


def republish(case, **changes):
    """An editor changes the case and it goes live through an approved revision."""
    page = SurvivorCasePage.objects.get(pk=case.pk)
    target = changes.get("funding_target")
    if target is not None:
        page.funding_items.all().delete()
        page.funding_items.add(
            FundingItem(category="psychological_support", description="Counselling", amount=target)
        )
    for name, value in changes.items():
        setattr(page, name, value)
    approve_and_publish(page.save_revision(), require_checks=False)
    return SurvivorCasePage.objects.get(pk=case.pk)


def funded_with_surplus(client, case):
    """1,400.00 then a gift in flight of 300.00: the case holds 1,700.00, 200.00 past its goal."""
    first = confirm(client, make_donation(case, "1400.00"))
    late = confirm(client, in_flight(case, "300.00"))
    assert late.surplus_amount == Decimal("200.00")
    return first, late


# --- The policy text as a weapon (hostile insider with the settings permission) ------------------

TRICKS = "{amount} {amount.__class__} {0} {} %s %(amount)s {{ amount }} {% debug %} ${amount"


def test_format_string_tricks_in_the_policy_are_printed_literally(
    client, case, django_capture_on_commit_callbacks
):
    set_policy(TRICKS)  # holds {amount} exactly once: the admin accepts it
    client.get(case.url)
    confirm(client, make_donation(case, "1400.00"))
    mail.outbox = []
    with django_capture_on_commit_callbacks(execute=True):
        late = confirm(client, in_flight(case, "300.00"))

    literal = TRICKS.replace("{amount}", f"200.00{NBSP}USD", 1)
    assert literal in html.unescape(client.get(case.url).content.decode())
    assert literal in thanks_text(client, late)
    assert status_json(client, late)["surplus_note"] == literal
    assert len(mail.outbox) == 1
    assert literal in html.unescape(mail.outbox[0].body)
    for output in (client.get(case.url).content.decode(), mail.outbox[0].body):
        assert "<class" not in output
        assert "Decimal" not in output


def test_script_in_the_policy_never_reaches_a_page_as_markup(client, case):
    set_policy('<script>alert("x")</script><img src=x onerror=alert(1)>{amount}')
    _, late = funded_with_surplus(client, case)
    for url in (case.url, reverse("sixdegree_donations:thanks", kwargs={"token": late.token})):
        page = client.get(url).content.decode()
        assert "<script>alert" not in page, url
        assert "<img src=x" not in page, url
        assert "&lt;script&gt;" in page, url
    # JSON carries it as text, with the same allow-listed keys as ever.
    data = status_json(client, late)
    assert data["surplus_note"].startswith("<script>")
    assert "late@example.org" not in json.dumps(data)


def test_a_policy_whose_placeholder_is_split_or_doubled_in_sql_falls_back(client, case):
    # Written past the admin's validation: two amounts, one per gift, would double the claim.
    set_policy("{amount}{amount} goes elsewhere", validate=False)
    funded_with_surplus(client, case)
    page = html.unescape(client.get(case.url).content.decode())
    assert f"200.00{NBSP}USD above the goal goes to the next survivor's case." in page
    assert f"200.00{NBSP}USD200.00" not in page


# --- Providers calling back twice, out of order, late, at once -----------------------------------


def test_twenty_simultaneous_confirmations_of_one_late_gift_count_it_once(site_db):
    case = make_case_page(make_case_index(make_home()), launch_date=launch_date())
    make_donation(case, "1400.00").change_status(PaymentStatus.CONFIRMED)
    late = make_donation(case, "300.00")

    def deliver(_i):
        return (
            Client().get(late.get_process_url(), {"verification_result": PaymentStatus.CONFIRMED}).status_code
        )

    assert run_concurrently(20, deliver) == [302] * 20
    assert totals(case) == (Decimal("1700.00"), 2)
    late.refresh_from_db()
    assert (late.counted_amount, late.surplus_amount) == (Decimal("300.00"), Decimal("200.00"))


def test_a_refund_delivered_before_the_late_confirmation_counts_nothing(client, case, stripe_variant):
    confirm(client, make_donation(case, "1400.00"))
    late = make_donation(case, "300.00", variant=stripe_variant)
    assert post_event(client, refund_event(late, event_id="evt_r")).status_code == 200
    assert post_event(client, checkout_event(late, event_id="evt_c")).status_code == 200

    late.refresh_from_db()
    assert late.status == PaymentStatus.REFUNDED
    assert (late.counted_amount, late.surplus_amount) == (Decimal("0.00"), Decimal("0.00"))
    assert totals(case) == (Decimal("1400.00"), 1)
    assert status_json(client, late)["surplus_note"] == ""


def test_a_confirmation_in_another_amount_than_the_gift_is_not_counted(client, case, stripe_variant):
    # A session paid for 1 cent (or in yen) must not count the gift's 300.00 past the goal.
    confirm(client, make_donation(case, "1400.00"))
    late = make_donation(case, "300.00", variant=stripe_variant)
    for event in (
        checkout_event(late, event_id="evt_cent", amount_total=1),
        checkout_event(late, event_id="evt_jpy", currency="JPY"),
    ):
        response = post_event(client, event)
        assert response.status_code < 500
    late.refresh_from_db()
    assert late.status != PaymentStatus.CONFIRMED
    assert totals(case) == (Decimal("1400.00"), 1)


def test_a_gift_started_by_the_api_before_funding_and_paid_after_is_surplus_once(client, case, settings):
    # The API shows the provider's form at once (the dummy's lives on this site): the gift is in
    # flight when the case is funded, so paying it is allowed, counted once and said as surplus.
    settings.SIXDEGREE_DONATION_ALLOWED_ORIGINS = [FRONT]
    body = {"case": case.pk, "amount": "100", "currency": "USD", "email": "h@example.org"}
    started = client.post(API, data=json.dumps(body), content_type="application/json", HTTP_ORIGIN=FRONT)
    assert started.status_code == 201
    gift = Donation.objects.get()
    assert gift.status == PaymentStatus.INPUT
    make_donation(case, "1500.00").change_status(PaymentStatus.CONFIRMED)

    for _ in range(3):
        confirm(client, gift)

    gift.refresh_from_db()
    assert (gift.counted_amount, gift.surplus_amount) == (Decimal("100.00"), Decimal("100.00"))
    assert totals(case) == (Decimal("1600.00"), 2)
    assert Donation.objects.aggregate(s=Sum("surplus_amount"))["s"] == Decimal("100.00")


@pytest.mark.parametrize(
    ("event_type", "payment_status", "session_status"),
    [
        ("checkout.session.async_payment_failed", "unpaid", "complete"),
        ("checkout.session.expired", "unpaid", "expired"),
    ],
)
def test_a_late_failure_never_takes_back_a_surplus_gift(
    client, case, stripe_variant, event_type, payment_status, session_status
):
    confirm(client, make_donation(case, "1400.00"))
    late = make_donation(case, "300.00", variant=stripe_variant)
    assert post_event(client, checkout_event(late, event_id="evt_ok")).status_code == 200
    late_failure = checkout_event(
        late,
        event_id="evt_late",
        event_type=event_type,
        payment_status=payment_status,
        session_status=session_status,
    )
    assert post_event(client, late_failure).status_code == 200

    late.refresh_from_db()
    assert late.status == PaymentStatus.CONFIRMED
    assert (late.counted_amount, late.surplus_amount) == (Decimal("300.00"), Decimal("200.00"))
    assert totals(case) == (Decimal("1700.00"), 2)


# --- Refunds after surplus -----------------------------------------------------------------------


def test_a_refunded_surplus_gift_no_longer_says_it_went_past_the_goal(client, case):
    _, late = funded_with_surplus(client, case)
    Donation.objects.get(pk=late.pk).change_status(PaymentStatus.REFUNDED)

    late.refresh_from_db()
    assert late.surplus_amount == Decimal("0.00")
    data = status_json(client, late)
    assert (data["surplus"], data["surplus_note"]) == ("0.00", "")
    assert totals(case) == (Decimal("1400.00"), 1)
    assert "Continue to payment" in client.get(case.url).content.decode(), "the form reopens"


@pytest.mark.parametrize(
    ("refunded", "surplus_after"),
    [("50.00", "150.00"), ("200.00", "0.00"), ("250.00", "0.00")],
)
def test_a_partial_refund_of_a_surplus_gift_takes_its_surplus_off_first(
    client, case, refunded, surplus_after
):
    _, late = funded_with_surplus(client, case)
    record_refund(Donation.objects.get(pk=late.pk), Decimal(refunded))

    late.refresh_from_db()
    raised, _ = totals(case)
    assert raised == Decimal("1700.00") - Decimal(refunded)
    assert late.surplus_amount == Decimal(surplus_after)
    assert late.surplus_amount == max(Decimal("0.00"), raised - Decimal("1500.00"))
    assert status_json(client, late)["surplus"] == surplus_after


def surplus_shown(client, case, *gifts):
    """What each gift is said to bring past the goal now (API, model, thank-you page) and the
    case's public "above the goal" figure, checked against each other and the totals."""
    shares = []
    for gift in gifts:
        gift = Donation.objects.get(pk=gift.pk)
        share = gift_surplus(gift)
        assert status_json(client, gift)["surplus"] == f"{share:.2f}"
        assert share <= gift.surplus_amount, "never more than the donor was told"
        note = "The goal was reached while your gift was on its way"
        if gift.status == PaymentStatus.CONFIRMED:
            assert (note in thanks_text(client, gift)) == (share > 0)
        shares.append(share)
    page = SurvivorCasePage.objects.get(pk=case.pk)
    progress = progress_for(page)
    told = Donation.objects.filter(case_id=case.pk, status=PaymentStatus.CONFIRMED).aggregate(
        s=Sum("surplus_amount")
    )["s"] or Decimal("0.00")
    assert (
        sum(shares) == progress.surplus == min(told, max(Decimal("0.00"), progress.raised - progress.target))
    )
    return shares


def test_refunding_the_gift_that_funded_the_case_takes_back_the_late_gifts_surplus(client, case):
    first, late = funded_with_surplus(client, case)
    Donation.objects.get(pk=first.pk).change_status(PaymentStatus.REFUNDED)

    assert totals(case) == (Decimal("300.00"), 1)
    late.refresh_from_db()
    # The case is 1,200.00 short again: the late donor is no longer told 200.00 went elsewhere.
    assert gift_surplus(late) == Decimal("0.00")
    assert status_json(client, late)["surplus_note"] == ""
    assert "above the goal" not in thanks_text(client, late)
    assert surplus_shown(client, case, first, late) == [Decimal("0.00"), Decimal("0.00")]
    # What the donor was told when the gift arrived stays on record (the most it can be said to
    # bring past the goal), on the gift's own row: no refund writes another gift's row.
    assert late.surplus_amount == Decimal("200.00")


@pytest.mark.parametrize(
    ("refunded", "late_surplus"),
    [("50.00", "150.00"), ("200.00", "0.00"), ("1399.99", "0.00")],
)
def test_a_partial_refund_of_an_earlier_gift_takes_back_as_much_of_the_late_gifts_surplus(
    client, case, refunded, late_surplus
):
    first, late = funded_with_surplus(client, case)
    record_refund(Donation.objects.get(pk=first.pk), Decimal(refunded))

    assert totals(case) == (Decimal("1700.00") - Decimal(refunded), 2)
    assert surplus_shown(client, case, first, late) == [Decimal("0.00"), Decimal(late_surplus)]


def test_a_refund_takes_back_the_oldest_claims_first_the_newest_gift_keeps_its_own(client, case):
    # 1,400 then two gifts in flight: 300 (200 past the goal), then 100 (all of it past).
    first, late = funded_with_surplus(client, case)
    last = confirm(client, in_flight(case, "100.00"))
    assert last.surplus_amount == Decimal("100.00")
    assert surplus_shown(client, case, late, last) == [Decimal("200.00"), Decimal("100.00")]

    record_refund(Donation.objects.get(pk=first.pk), Decimal("150.00"))  # 150 past the goal left
    assert surplus_shown(client, case, late, last) == [Decimal("50.00"), Decimal("100.00")]
    record_refund(Donation.objects.get(pk=first.pk), Decimal("250.00"))  # 50 left
    assert surplus_shown(client, case, late, last) == [Decimal("0.00"), Decimal("50.00")]


def test_refunding_the_newest_surplus_gift_gives_its_share_back_to_no_one(client, case):
    # Refunding the last gift takes its money off the case: the older gift's claim does not grow.
    first, late = funded_with_surplus(client, case)
    last = confirm(client, in_flight(case, "100.00"))
    Donation.objects.get(pk=last.pk).change_status(PaymentStatus.REFUNDED)
    assert totals(case) == (Decimal("1700.00"), 2)
    assert surplus_shown(client, case, first, late, last) == [
        Decimal("0.00"),
        Decimal("200.00"),
        Decimal("0.00"),
    ]


def test_a_case_refunded_under_its_goal_and_funded_again_tells_only_the_new_late_gift(client, case):
    first, late = funded_with_surplus(client, case)
    Donation.objects.get(pk=first.pk).change_status(PaymentStatus.REFUNDED)
    assert "Continue to payment" in client.get(case.url).content.decode(), "the form reopens"
    again = confirm(client, make_donation(case, "1400.00"))  # 1,700.00 again, 200.00 past
    assert again.surplus_amount == Decimal("200.00")
    assert totals(case) == (Decimal("1700.00"), 2)
    # 200.00 past the goal, said once: by the gift that took the case past it this time.
    assert surplus_shown(client, case, late, again) == [Decimal("0.00"), Decimal("200.00")]


def test_raising_the_target_takes_back_surplus_and_a_refund_after_it_takes_back_more(client, case):
    first, late = funded_with_surplus(client, case)
    case = republish(case, funding_target=Decimal("1600.00"))
    assert surplus_shown(client, case, late) == [Decimal("100.00")], "the money counts for her goal"
    record_refund(Donation.objects.get(pk=first.pk), Decimal("60.00"))
    assert surplus_shown(client, case, late) == [Decimal("40.00")]
    case = republish(case, funding_target=Decimal("2000.00"))
    assert surplus_shown(client, case, late) == [Decimal("0.00")]


def test_lowering_the_target_then_refunding_never_says_more_than_the_donor_was_told(client, case):
    first, late = funded_with_surplus(client, case)
    case = republish(case, funding_target=Decimal("1000.00"))  # 700.00 past, 200.00 told
    assert surplus_shown(client, case, late) == [Decimal("200.00")]
    record_refund(Donation.objects.get(pk=first.pk), Decimal("600.00"))  # 1,100.00: 100.00 past
    assert surplus_shown(client, case, late) == [Decimal("100.00")]


def test_two_refunds_racing_end_exact_without_a_deadlock(site_db, stripe_variant):
    # The gift that funded the case and a late gift are refunded at the same moment, each event
    # delivered several times: no refund waits on another gift's row, the totals are exact and
    # nobody is told money went past a goal the case no longer reaches.
    case = make_case_page(make_case_index(make_home()), launch_date=launch_date())
    first = make_donation(case, "1400.00", variant=stripe_variant)
    late = make_donation(case, "300.00", variant=stripe_variant)
    last = make_donation(case, "100.00", variant=stripe_variant)
    client = Client()
    for gift in (first, late, last):
        assert post_event(client, checkout_event(gift, event_id=f"evt_c{gift.pk}")).status_code == 200
    late.refresh_from_db()
    assert late.surplus_amount == Decimal("200.00")
    events = [refund_event(first, event_id=f"evt_rf{i}") for i in range(3)]
    events += [refund_event(late, event_id=f"evt_rl{i}") for i in range(3)]

    def deliver(i):
        return post_event(Client(), events[i]).status_code

    assert run_concurrently(len(events), deliver) == [200] * len(events)
    assert totals(case) == (Decimal("100.00"), 1)
    for gift in (first, late, last):
        gift.refresh_from_db()
    assert (first.status, late.status) == (PaymentStatus.REFUNDED, PaymentStatus.REFUNDED)
    assert [gift_surplus(gift) for gift in (first, late, last)] == [Decimal("0.00")] * 3
    assert last.surplus_amount == Decimal("100.00"), "its own record is untouched"


def test_a_partial_refund_racing_a_late_confirmation_keeps_the_shares_within_the_case(site_db):
    # A partial refund of the first gift and the confirmation of a gift in flight, together,
    # in both orders: whichever lands first, the shares add up to what is past the goal.
    case = make_case_page(make_case_index(make_home()), launch_date=launch_date())
    first = make_donation(case, "1400.00")
    first.change_status(PaymentStatus.CONFIRMED)
    late = make_donation(case, "300.00")

    def act(i):
        if i == 0:
            record_refund(Donation.objects.get(pk=first.pk), Decimal("100.00"))
        else:
            Donation.objects.get(pk=late.pk).change_status(PaymentStatus.CONFIRMED)

    run_concurrently(2, act)
    assert totals(case) == (Decimal("1600.00"), 2)
    late.refresh_from_db()
    assert gift_surplus(late) == Decimal("100.00")
    assert late.surplus_amount in (Decimal("100.00"), Decimal("200.00"))  # told, by arrival order
    assert progress_for(SurvivorCasePage.objects.get(pk=case.pk)).surplus == Decimal("100.00")


@pytest.mark.parametrize("refunded_first", [False, True])
def test_a_receipt_waiting_in_the_queue_says_the_share_of_when_it_leaves(
    client, case, settings, refunded_first
):
    # The receipt is queued with the late confirmation; the gift that funded the case is
    # refunded before the worker sends it: the receipt claims no money went to another case.
    from django.core.management import call_command

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    first, late = funded_with_surplus(client, case)
    if refunded_first:
        Donation.objects.get(pk=first.pk).change_status(PaymentStatus.REFUNDED)
    mail.outbox = []
    # The worker's sweep (its request is made on commit, which this test's transaction never
    # reaches: the sweep every minute finds the receipt all the same).
    call_command("send_receipts")
    (receipt,) = [message for message in mail.outbox if message.to == ["late@example.org"]]
    said = f"200.00{NBSP}USD above the goal" in html.unescape(receipt.body)
    assert said is not refunded_first
    assert ("above the goal" in receipt.body) is not refunded_first


def test_a_provider_saving_a_stale_copy_cannot_undo_the_surplus(client, case):
    # django-payments providers call `payment.save()` on the copy they loaded before the
    # confirmation: the surplus (like the count) must survive it.
    confirm(client, make_donation(case, "1400.00"))
    late = in_flight(case, "300.00")
    stale = Donation.objects.get(pk=late.pk)
    confirm(client, late)
    stale.extra_data = '{"id": "cs_test_a1"}'
    stale.save()

    late.refresh_from_db()
    assert (late.status, late.counted_amount, late.surplus_amount) == (
        PaymentStatus.CONFIRMED,
        Decimal("300.00"),
        Decimal("200.00"),
    )


# --- An editor moves the target after gifts ------------------------------------------------------


def test_lowering_the_target_below_what_was_raised_closes_the_form(client, case):
    confirm(client, make_donation(case, "1200.00"))
    case = republish(case, funding_target=Decimal("1000.00"))

    assert (
        client.post(
            reverse("sixdegree_donations:donate", kwargs={"case_id": case.pk}),
            {"amount": "10", "currency": "USD", "email": "a@example.org", "anonymous": "on"},
        ).status_code
        == 409
    )
    late = confirm(client, in_flight(case, "100.00"))
    assert totals(case) == (Decimal("1300.00"), 2)
    assert late.surplus_amount == Decimal("100.00"), "all of it arrived after the goal"
    assert 'max="100" value="100"' in client.get(case.url).content.decode()


def test_raising_the_target_after_funding_reopens_the_form_and_counts_on(client, case):
    confirm(client, make_donation(case, "1500.00"))
    case = republish(case, funding_target=Decimal("2000.00"))
    page = client.get(case.url).content.decode()
    assert "Continue to payment" in page
    gift = confirm(client, make_donation(case, "400.00"))
    assert gift.surplus_amount == Decimal("0.00")
    assert totals(case) == (Decimal("1900.00"), 2)
    assert status_json(client, gift)["progress"]["status"] == "funding"


def test_lowering_the_target_announces_no_surplus_that_no_donor_was_told_of(client, case):
    confirm(client, make_donation(case, "1200.00"))
    case = republish(case, funding_target=Decimal("1000.00"))
    told = Donation.objects.aggregate(s=Sum("surplus_amount"))["s"]
    assert told == Decimal("0.00")
    # The case page now says 200.00 "above the goal goes to the next survivor's case": money
    # given towards her goal, redirected publicly by an edit of the target.
    assert "above the goal" not in client.get(case.url).content.decode()


def test_changing_the_currency_after_gifts_is_refused(client, case):
    confirm(client, make_donation(case, "1400.00"))
    late = in_flight(case, "300.00")  # USD, at the provider's page
    with pytest.raises(Exception):  # noqa: B017, PT011 - any refusal will do
        republish(case, currency="EUR")
    confirm(client, late)
    assert SurvivorCasePage.objects.get(pk=case.pk).currency == "USD"


# --- The giving API at the edge ------------------------------------------------------------------


@pytest.mark.parametrize(
    "amount",
    [
        "NaN",
        "Infinity",
        "-Infinity",
        "1e3",
        "-0",
        "0.001",
        "1500.01",
        "10000000",
        "9" * 40,
        True,
        [1],
        {"a": 1},
    ],
)
def test_the_api_refuses_edge_amounts_without_creating_anything(client, case, settings, amount):
    settings.SIXDEGREE_DONATION_ALLOWED_ORIGINS = [FRONT]
    body = {"case": case.pk, "amount": amount, "currency": "USD", "email": "h@example.org"}
    response = client.post(API, data=json.dumps(body), content_type="application/json", HTTP_ORIGIN=FRONT)
    assert response.status_code == 400, response.content
    assert "amount" in response.json()["errors"]
    assert not Donation.objects.exists()


@pytest.mark.parametrize("amount", [1e308, 0.1 + 0.2, -1, 0, 1500.001])
def test_the_api_refuses_json_numbers_at_the_edge(client, case, settings, amount):
    settings.SIXDEGREE_DONATION_ALLOWED_ORIGINS = [FRONT]
    body = json.dumps({"case": case.pk, "amount": amount, "currency": "USD", "email": "h@example.org"})
    response = client.post(API, data=body, content_type="application/json", HTTP_ORIGIN=FRONT)
    assert response.status_code == 400, response.content
    assert not Donation.objects.exists()


@pytest.mark.parametrize("case_id", [None, "x", -1, 0, 2**63, 10**30, "1 OR 1=1", [1], {"pk": 1}, True, 1.5])
def test_the_api_refuses_a_case_that_is_not_one_without_a_500(client, case, settings, case_id):
    settings.SIXDEGREE_DONATION_ALLOWED_ORIGINS = [FRONT]
    body = json.dumps({"case": case_id, "amount": "25", "currency": "USD", "email": "h@example.org"})
    response = client.post(API, data=body, content_type="application/json", HTTP_ORIGIN=FRONT)
    assert 400 <= response.status_code < 500, response.content
    assert response.json()["errors"]
    assert not Donation.objects.exists()


@pytest.mark.parametrize("currency", ["EUR", "usd ", "XXX", "US", "USDUSD", "", "€", None, 840])
def test_the_api_refuses_another_currency(client, case, settings, currency):
    settings.SIXDEGREE_DONATION_ALLOWED_ORIGINS = [FRONT]
    body = {"case": case.pk, "amount": "25", "currency": currency, "email": "h@example.org"}
    response = client.post(API, data=json.dumps(body), content_type="application/json", HTTP_ORIGIN=FRONT)
    if currency == "usd ":
        # Normalised to the case's own currency: accepted, in USD.
        assert response.status_code == 201
        assert Donation.objects.get().currency == "USD"
        return
    assert response.status_code == 400, response.content
    assert not Donation.objects.exists()


def test_the_api_gives_exactly_what_remains_and_then_closes(client, case, settings):
    settings.SIXDEGREE_DONATION_ALLOWED_ORIGINS = [FRONT]
    confirm(client, make_donation(case, "1499.99"))
    body = {"case": case.pk, "amount": "0.01", "currency": "USD", "email": "h@example.org"}
    started = client.post(API, data=json.dumps(body), content_type="application/json", HTTP_ORIGIN=FRONT)
    assert started.status_code == 201
    confirm(client, Donation.objects.get(token=started.json()["donation"]))
    again = client.post(API, data=json.dumps(body), content_type="application/json", HTTP_ORIGIN=FRONT)
    assert again.status_code == 409
    assert totals(case) == (Decimal("1500.00"), 2)
    assert not Donation.objects.filter(surplus_amount__gt=0).exists()


# --- A broken dependency ---------------------------------------------------------------------------


def test_a_confirmation_that_funds_the_case_survives_a_dead_page_cache(
    client, case, settings, django_capture_on_commit_callbacks
):
    # Redis down: the page cache cannot drop the case page when the form closes. The gift is
    # still counted and the provider still gets its answer.
    settings.CACHES = {
        **settings.CACHES,
        "pages": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        },
    }
    settings.SIXDEGREE_PAGE_CACHE = {
        "BACKEND": "sixdegree_cases.caching.backends.DjangoCachePageCache",
        "CACHE_ALIAS": "pages",
        "TIMEOUT": 60,
        "PAGE_TYPES": ["sixdegree_cases.SurvivorCasePage"],
        "SKIP_PATHS": ["/admin/", "/api/", "/donations/", "/payments/"],
    }
    with django_capture_on_commit_callbacks(execute=True):
        confirm(client, make_donation(case, "1400.00"))
        late = confirm(client, in_flight(case, "300.00"))
    assert late.surplus_amount == Decimal("200.00")
    assert totals(case) == (Decimal("1700.00"), 2)
    assert client.get(case.url).status_code == 200


@pytest.fixture
def page_cache_without_totals_eviction(settings):
    """A page cache that fills the figures in at serve time: ordinary totals changes evict
    nothing, so only crossing the target (the form closing) drops the case page."""
    from django.core.cache import cache as default_cache
    from django.db.models.signals import post_save

    from sixdegree_cases.caching.signal_handlers import DISPATCH, funding_changed

    settings.SIXDEGREE_PAGE_CACHE = {
        "BACKEND": "sixdegree_cases.caching.backends.DjangoCachePageCache",
        "TIMEOUT": 60,
        "PAGE_TYPES": ["sixdegree_cases.SurvivorCasePage"],
        "SKIP_PATHS": ["/admin/", "/api/", "/donations/", "/payments/"],
    }
    default_cache.clear()
    post_save.disconnect(funding_changed, sender=CaseFunding, dispatch_uid=f"{DISPATCH}-funding")
    yield
    post_save.connect(funding_changed, sender=CaseFunding, dispatch_uid=f"{DISPATCH}-funding")
    default_cache.clear()


def test_crossing_a_raised_target_again_closes_the_cached_form(
    client, case, page_cache_without_totals_eviction, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        confirm(client, make_donation(case, "1500.00"))
        case = republish(case, funding_target=Decimal("2000.00"))
    first_funded = CaseFunding.objects.get(case_id=case.pk).fully_funded_at
    assert "Continue to payment" in client.get(case.url).content.decode()
    assert client.get(case.url)["X-Page-Cache"] == "hit"

    with django_capture_on_commit_callbacks(execute=True):
        confirm(client, make_donation(case, "500.00"))

    response = client.get(case.url)
    assert response["X-Page-Cache"] == "miss", "the form closed: the cached page must go"
    assert "Continue to payment" not in response.content.decode()
    funding = CaseFunding.objects.get(case_id=case.pk)
    assert funding.raised == Decimal("2000.00")
    assert funding.fully_funded_at > first_funded, "funded again, at the gift that reached 2,000.00"


def test_a_dead_mail_server_never_fails_the_late_confirmation(
    client, case, settings, django_capture_on_commit_callbacks
):
    # The receipt (with its surplus note) cannot leave; the money is counted all the same.
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 2
    with django_capture_on_commit_callbacks(execute=True):
        confirm(client, make_donation(case, "1400.00"))
        late = confirm(client, in_flight(case, "300.00"))
    assert (late.counted_amount, late.surplus_amount) == (Decimal("300.00"), Decimal("200.00"))
    assert totals(case) == (Decimal("1700.00"), 2)


def test_a_refund_racing_the_late_confirmation_always_ends_refunded(site_db, stripe_variant):
    # Stripe delivers the refund and the (late) completed session at the same moment, in
    # either order, several times over: the gift ends refunded and the case never keeps it.
    case = make_case_page(make_case_index(make_home()), launch_date=launch_date())
    make_donation(case, "1400.00").change_status(PaymentStatus.CONFIRMED)
    late = make_donation(case, "300.00", variant=stripe_variant)
    events = [checkout_event(late, event_id=f"evt_c{i}") for i in range(4)]
    events += [refund_event(late, event_id=f"evt_r{i}") for i in range(4)]

    def deliver(i):
        return post_event(Client(), events[i]).status_code

    assert run_concurrently(len(events), deliver) == [200] * len(events)
    late.refresh_from_db()
    assert late.status == PaymentStatus.REFUNDED
    assert (late.counted_amount, late.surplus_amount) == (Decimal("0.00"), Decimal("0.00"))
    assert totals(case) == (Decimal("1400.00"), 1)


def test_postgres_restarting_between_the_two_statements_loses_nothing_and_counts_once(site_db):
    # The connection dies after the donation's compare-and-set, before the totals upsert (a
    # PostgreSQL restart): the provider gets a 503, nothing is half-counted, its retry counts once.
    from django.db import connection, connections
    from payments.signals import status_changed

    case = make_case_page(make_case_index(make_home()), launch_date=launch_date())
    make_donation(case, "1400.00").change_status(PaymentStatus.CONFIRMED)
    late = make_donation(case, "300.00")

    def restart(sender, instance, **kwargs):
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            pid = cursor.fetchone()[0]
        admin = connections.create_connection("default")
        try:
            with admin.cursor() as cursor:
                cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
        finally:
            admin.close()

    client = Client(raise_request_exception=False)
    status_changed.connect(restart, sender=Donation, dispatch_uid="redteam-restart")
    try:
        response = client.get(late.get_process_url(), {"verification_result": PaymentStatus.CONFIRMED})
    finally:
        status_changed.disconnect(sender=Donation, dispatch_uid="redteam-restart")
    assert response.status_code == 503
    assert response["Retry-After"]
    connections.close_all()  # what the server does after a failed connection

    late.refresh_from_db()
    assert (late.status, late.counted_amount) == (PaymentStatus.WAITING, Decimal("0.00"))
    assert totals(case) == (Decimal("1400.00"), 1)

    for _ in range(2):
        retry = client.get(late.get_process_url(), {"verification_result": PaymentStatus.CONFIRMED})
        assert retry.status_code == 302
    late.refresh_from_db()
    assert (late.counted_amount, late.surplus_amount) == (Decimal("300.00"), Decimal("200.00"))
    assert totals(case) == (Decimal("1700.00"), 2)
