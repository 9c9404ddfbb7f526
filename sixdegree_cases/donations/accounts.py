"""Donor accounts: register with e-mail and password, confirm by e-mail, see your gifts, leave.

- Registering never says whether an address already has an account (the owner of that
  address gets an e-mail instead), so the form cannot be used to find out who gives.
- Confirming the address attaches every earlier gift made with it; gifts made while signed in
  attach at once.
- Deleting the account keeps the gifts (accounting) but anonymises them: no e-mail, no name,
  no link to anyone.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from .models import Donation, DonorAccount

CONFIRM_SALT = "sixdegree.donations.confirm-donor"
# Confirmation links work for three days.
CONFIRM_MAX_AGE = 3 * 24 * 3600


def normalise_email(email):
    return email.strip().lower()


def find_user(email):
    return get_user_model().objects.filter(email__iexact=normalise_email(email)).first()


def register(email, password, *, build_url):
    """Create an inactive donor account and e-mail its confirmation link.

    If the address already has an account, its owner is told instead and nothing is created.
    `build_url(path)` makes an absolute URL (e.g. `request.build_absolute_uri`).
    """
    email = normalise_email(email)
    existing = find_user(email)
    if existing is not None:
        _mail(email, "already_registered", {"login_url": build_url(reverse("sixdegree_donations:login"))})
        return None
    user_model = get_user_model()
    with transaction.atomic():
        user = user_model(username=email, email=email, is_active=False)
        user.set_password(password)
        user.save()
        DonorAccount.objects.create(user=user)
    token = signing.dumps({"user": user.pk, "email": email}, salt=CONFIRM_SALT)
    url = build_url(reverse("sixdegree_donations:confirm", kwargs={"token": token}))
    _mail(email, "confirm", {"confirm_url": url})
    return user


def confirm(token):
    """Activate the account a confirmation token names; attach earlier gifts. Returns the user.

    Raises `signing.BadSignature` (or `SignatureExpired`) for a bad or old token.
    """
    data = signing.loads(token, salt=CONFIRM_SALT, max_age=CONFIRM_MAX_AGE)
    with transaction.atomic():
        account = DonorAccount.objects.select_for_update().select_related("user").get(user_id=data["user"])
        user = account.user
        if normalise_email(user.email) != data["email"]:
            raise signing.BadSignature("The address changed since this link was sent.")
        if account.confirmed_at is None:
            account.confirmed_at = timezone.now()
            account.save(update_fields=["confirmed_at"])
            user.is_active = True
            user.save(update_fields=["is_active"])
        attach_gifts(user)
    return user


def attach_gifts(user):
    """Attach unclaimed gifts made with the account's confirmed address. Returns how many."""
    return Donation.objects.filter(donor=None, billing_email__iexact=user.email).update(donor=user)


def is_donor(user):
    """True for a signed-in user with a confirmed donor account (never staff accounts)."""
    if not user.is_authenticated:
        return False
    account = DonorAccount.objects.filter(user=user).first()
    return account is not None and account.confirmed_at is not None


def delete_account(user):
    """Delete a donor's account. Their gifts stay, anonymised: no e-mail, no name, no account."""
    with transaction.atomic():
        Donation.objects.filter(donor=user).update(
            donor=None, billing_email="", display_name="", anonymous=True
        )
        Donation.objects.filter(billing_email__iexact=user.email).update(
            billing_email="", display_name="", anonymous=True
        )
        user.delete()


def _mail(to, template, context):
    context = {"site_name": getattr(settings, "WAGTAIL_SITE_NAME", "Sixdegree"), **context}
    subject = render_to_string(f"sixdegree_donations/mail/{template}_subject.txt", context)
    body = render_to_string(f"sixdegree_donations/mail/{template}.txt", context)
    send_mail(" ".join(subject.split()), body, settings.DEFAULT_FROM_EMAIL, [to])
