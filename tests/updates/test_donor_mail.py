"""Each donor who asked to hear back gets each update once, with its public text only."""

import re
from collections import Counter

import pytest
from django.core import mail
from django.test import TestCase
from django.urls import reverse
from payments import PaymentStatus

from sixdegree_cases.donations.models import Donation, UpdateDelivery
from sixdegree_cases.donations.tasks import send_case_update
from sixdegree_cases.donations.update_mail import deliver_update, unsubscribe_token
from tests.donations.conftest import make_donation
from tests.privacy.helpers import add_term

from .helpers import make_update

pytestmark = pytest.mark.django_db

DONORS = 50


def opted_in_donors(case, count=DONORS):
    for number in range(count):
        make_donation(
            case,
            status=PaymentStatus.CONFIRMED,
            billing_email=f"donor{number}@example.org",
            hear_back=True,
            display_name=f"Qzdonorname{number}",
            anonymous=False,
        )
    # A second gift from the first donor, written differently: still one donor.
    make_donation(case, status=PaymentStatus.CONFIRMED, billing_email="DONOR0@Example.org ", hear_back=True)
    # Donors who did not ask, and a gift never paid: no e-mail.
    for number in range(5):
        make_donation(case, status=PaymentStatus.CONFIRMED, billing_email=f"quiet{number}@example.org")
    make_donation(case, status=PaymentStatus.WAITING, billing_email="unpaid@example.org", hear_back=True)


def publish_update(case, **kwargs):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return make_update(case, **kwargs)


def recipients():
    return Counter(address for message in mail.outbox for address in message.to)


def test_each_opted_in_donor_gets_exactly_one_email_per_update_however_often_the_task_runs(case):
    opted_in_donors(case)
    mail.outbox.clear()
    update = publish_update(case)
    assert update.live
    # The task queued by the publish, then run again twice, then the job run directly.
    send_case_update.enqueue(update.pk)
    send_case_update.enqueue(update.pk)
    deliver_update(update.pk)
    sent = recipients()
    assert len(sent) == DONORS
    assert set(sent.values()) == {1}, [address for address, count in sent.items() if count > 1]
    assert not any(address.startswith(("quiet", "unpaid")) for address in sent)
    assert UpdateDelivery.objects.filter(update=update, status="sent").count() == DONORS
    # A second update is e-mailed once more to each.
    mail.outbox.clear()
    publish_update(case, title="A stall at the market", slug="a-stall")
    assert set(recipients().values()) == {1}
    assert len(recipients()) == DONORS


def test_the_email_carries_the_update_public_text_only_with_a_plain_text_part(case):
    add_term(case, "Siti Rahayu")
    opted_in_donors(case, count=2)
    case.case_officer_reference = "Qzofficerref"
    case.save_revision()
    mail.outbox.clear()
    publish_update(case, narrative="<p>She finished the <b>sewing course</b>.</p>")
    message = mail.outbox[0]
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert "sewing course" in message.body
    assert "<b>" not in message.body
    assert "<b>sewing course</b>" in html
    for text in (message.subject, message.body, html):
        assert "Qzofficerref" not in text
        assert "Siti" not in text
        assert "Qzdonorname" not in text
        assert "donor1@" not in text or message.to == ["donor1@example.org"]
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # Only the allow-listed update fields reach the template.
    assert "Mawar" in message.subject  # the case's public pseudonym


def test_a_failing_mail_server_never_blocks_publishing_and_the_next_run_sends(case, settings):
    opted_in_donors(case, count=3)
    settings.EMAIL_BACKEND = "tests.updates.mail_backends.RefusingBackend"
    update = publish_update(case)
    assert update.live
    assert not UpdateDelivery.objects.filter(update=update, status="sent").exists()
    assert UpdateDelivery.objects.filter(update=update, status="failed").count() == 3
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox.clear()
    assert deliver_update(update.pk) == 3
    assert deliver_update(update.pk) == 0
    assert len(mail.outbox) == 3


def test_emails_owed_after_a_mail_server_outage_go_out_with_the_minutely_send_receipts(case, settings):
    """Nothing queues the update's task again: the command cron runs every minute sends what
    an outage left owed, once."""
    from django.core.management import call_command

    opted_in_donors(case, count=3)
    settings.EMAIL_BACKEND = "tests.updates.mail_backends.RefusingBackend"
    update = publish_update(case)
    call_command("send_receipts")  # still down: nothing given up
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox.clear()
    call_command("send_receipts")
    call_command("send_receipts")
    assert sorted(recipients()) == ["donor0@example.org", "donor1@example.org", "donor2@example.org"]
    assert set(recipients().values()) == {1}
    assert UpdateDelivery.objects.filter(update=update, status="sent").count() == 3


def test_emails_go_out_in_batches(case, settings):
    settings.SIXDEGREE_UPDATE_MAIL_BATCH = 7
    opted_in_donors(case, count=20)
    mail.outbox.clear()
    publish_update(case)
    assert len(recipients()) == 20


def test_unsubscribe_works_without_signing_in_for_that_case_only(case, client):
    opted_in_donors(case, count=3)
    mail.outbox.clear()
    publish_update(case)
    message = next(m for m in mail.outbox if m.to == ["donor1@example.org"])
    link = re.search(r"https?://\S+/updates/stop/\S+/", message.body).group(0)
    assert link in message.alternatives[0][0]
    answer = client.get(link)
    assert answer.status_code == 200
    assert "no more updates" in answer.content.decode()
    assert not Donation.objects.get(billing_email="donor1@example.org").hear_back
    assert Donation.objects.filter(billing_email="donor2@example.org", hear_back=True).exists()
    mail.outbox.clear()
    publish_update(case, title="Later news", slug="later-news")
    assert "donor1@example.org" not in recipients()
    assert len(recipients()) == 2


def test_one_click_post_unsubscribes_too(case, client):
    opted_in_donors(case, count=1)
    token = unsubscribe_token(case.pk, "donor0@example.org")
    url = reverse("sixdegree_donations:unsubscribe_updates", args=[token])
    answer = client.post(url, {"List-Unsubscribe": "One-Click"})
    assert answer.status_code == 200
    assert not Donation.objects.filter(hear_back=True, billing_email__iexact="donor0@example.org").exists()


@pytest.mark.parametrize("token", ["garbage", "eyJjIjoxfQ:1abc:def", "x" * 500])
def test_a_forged_or_altered_link_changes_nothing(case, client, token):
    opted_in_donors(case, count=2)
    before = Donation.objects.filter(hear_back=True).count()
    url = reverse("sixdegree_donations:unsubscribe_updates", args=[token])
    answer = client.get(url)
    assert answer.status_code == 400
    assert "does not work" in answer.content.decode()
    assert Donation.objects.filter(hear_back=True).count() == before


def test_a_link_for_another_case_leaves_this_case_alone(case, client, case_index):
    from tests.factories import make_case_page

    other = make_case_page(case_index, title="Other", slug="other")
    opted_in_donors(case, count=1)
    client.get(
        reverse(
            "sixdegree_donations:unsubscribe_updates",
            args=[unsubscribe_token(other.pk, "donor0@example.org")],
        )
    )
    assert Donation.objects.filter(case=case, billing_email="donor0@example.org", hear_back=True).exists()


def test_the_donate_form_asks_with_the_box_unticked_and_stores_the_choice(case, client):
    page = client.get(case.url).content.decode()
    box = re.search(r'<input[^>]*name="hear_back"[^>]*>', page).group(0)
    assert "checked" not in box
    url = reverse("sixdegree_donations:donate", kwargs={"case_id": case.pk})
    client.post(url, {"amount": "30", "currency": "USD", "email": "a@example.org"})
    client.post(url, {"amount": "30", "currency": "USD", "email": "b@example.org", "hear_back": "on"})
    assert not Donation.objects.get(billing_email="a@example.org").hear_back
    assert Donation.objects.get(billing_email="b@example.org").hear_back


def test_the_giving_api_asks_too_off_by_default(case, client):
    import json

    for email, extra in (("a@example.org", {}), ("b@example.org", {"hear_back": True})):
        answer = client.post(
            "/api/v2/donations/",
            json.dumps({"case": case.pk, "amount": "30", "currency": "USD", "email": email, **extra}),
            content_type="application/json",
        )
        assert answer.status_code < 300, answer.content
    assert not Donation.objects.get(billing_email="a@example.org").hear_back
    assert Donation.objects.get(billing_email="b@example.org").hear_back


def test_an_unpublished_update_is_not_emailed(case):
    opted_in_donors(case, count=2)
    update = make_update(case, publish=False)
    mail.outbox.clear()
    assert deliver_update(update.pk) == 0
    assert not mail.outbox
