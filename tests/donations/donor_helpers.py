"""Donors for the donation tests: registering, confirming, giving, and timing an answer."""

import re
import time

from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from payments import PaymentStatus

from .conftest import make_donation

EMAIL = "giver@example.org"
PASSWORD = "a long donor passphrase 42"
LONG_EMAIL = "a" * 64 + "@" + ".".join(["b" * 60] * 4) + ".org"  # 313 characters


def register(client, email=EMAIL, password=PASSWORD):
    return client.post(reverse("sixdegree_donations:register"), {"email": email, "password": password})


def forgot(client, email=EMAIL):
    return client.post(reverse("sixdegree_donations:password_reset"), {"email": email})


def link_in_last_mail(kind):
    return re.search(rf"https?://\S+/account/{kind}/\S+/", mail.outbox[-1].body).group(0)


def confirmed_donor(client):
    register(client)
    client.post(link_in_last_mail("confirm"))
    client.logout()
    mail.outbox.clear()
    return get_user_model().objects.get(email=EMAIL)


def give(client, case, **fields):
    data = {"amount": "30", "currency": "USD", "email": "named@example.org", **fields}
    return client.post(reverse("sixdegree_donations:donate", kwargs={"case_id": case.pk}), data)


def confirmed_gift(case, **kwargs):
    gift = make_donation(case, "20.00", **kwargs)
    gift.change_status(PaymentStatus.CONFIRMED)
    return gift


def timed(action, rounds=5):
    """The median duration of `action()`, in seconds."""
    durations = []
    for _ in range(rounds):
        start = time.perf_counter()
        action()
        durations.append(time.perf_counter() - start)
    return sorted(durations)[len(durations) // 2]
