"""Donor accounts: register with e-mail and password, confirm by e-mail, see your gifts, leave.

- Registering and resetting a password never say whether an address has an account, in
  words or in time: both branches hash a password or sign a link and send one e-mail (the
  owner of the address learns what happened from it), so neither form tells who gives.
- Links e-mailed to a donor work once and for `SIXDEGREE_DONOR_LINK_MAX_AGE` seconds, and never
  sign anyone in: whoever opens one still needs the password.
- Confirming the address attaches every earlier gift made with it; gifts made while signed in
  attach at once.
- Deleting the account keeps the gifts (accounting) but anonymises them: no e-mail, no name,
  no link to anyone.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core import signing
from django.db import IntegrityError, models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from ..conf import get_setting
from .models import Donation, DonorAccount
from .tasks import send_account_mail as queued_account_mail

CONFIRM = "confirm"
RESET = "reset"


def normalise_email(email):
    return email.strip().lower()


def find_user(email):
    """Any user whose e-mail address *or username* is `email`: a donor's username is their
    address, so an address that is already someone's username is taken too."""
    email = normalise_email(email)
    return (
        get_user_model()
        .objects.filter(models.Q(email__iexact=email) | models.Q(username__iexact=email))
        .order_by("pk")
        .first()
    )


def _link_state(user):
    """What a link is bound to: using the link changes it (confirming activates the account,
    a reset changes the password hash), so a used link no longer matches: links work once."""
    account = DonorAccount.objects.filter(user_id=user.pk).values_list("confirmed_at", flat=True).first()
    value = f"{user.pk}|{normalise_email(user.email)}|{user.password}|{user.is_active}|{account}"
    return salted_hmac("sixdegree.donations.link-state", value, algorithm="sha256").hexdigest()[:32]


def make_link_token(user, purpose):
    """A signed, timestamped token for a link e-mailed to `user` (CONFIRM or RESET)."""
    return signing.dumps({"u": user.pk, "s": _link_state(user)}, salt=f"sixdegree.donations.{purpose}")


def user_for_link(token, purpose):
    """The donor a link token names if it is genuine, recent and unused, else None."""
    try:
        data = signing.loads(
            token, salt=f"sixdegree.donations.{purpose}", max_age=get_setting("SIXDEGREE_DONOR_LINK_MAX_AGE")
        )
        user = DonorAccount.objects.select_related("user").get(user_id=int(data["u"])).user
    except (signing.BadSignature, DonorAccount.DoesNotExist, KeyError, TypeError, ValueError):
        return None
    if not constant_time_compare(str(data.get("s", "")), _link_state(user)):
        return None
    return user


def register(email, password, *, build_url):
    """Create an inactive donor account and e-mail its confirmation link.

    If the address is taken (anyone's e-mail or username), its owner is told by e-mail instead
    and nothing is created; if it belongs to a donor account never confirmed, a new link is
    sent instead (links expire within hours). The password is hashed either way: skipping the slow hash for a
    taken address answered in 10 ms instead of 239, which told who has an account.
    `build_url(path)` makes an absolute URL (e.g. `request.build_absolute_uri`).
    """
    email = normalise_email(email)
    password_hash = make_password(password)
    user = None
    existing = find_user(email)
    if existing is not None and _unconfirmed_donor(existing):
        # Its link expired or was lost: a new one goes to the same mailbox, with the password
        # given now (earlier links stop working, since they are bound to the old hash).
        existing.password = password_hash
        existing.save(update_fields=["password"])
        user = existing
    elif existing is None:
        try:
            with transaction.atomic():
                user = get_user_model().objects.create(
                    username=email, email=email, is_active=False, password=password_hash
                )
                DonorAccount.objects.create(user=user)
        except IntegrityError:
            # Registered a moment ago by a concurrent request: the address is taken now.
            user = None
    if user is None:
        _mail(email, "already_registered", {"login_url": build_url(reverse("sixdegree_donations:login"))})
        return None
    token = make_link_token(user, CONFIRM)
    url = build_url(reverse("sixdegree_donations:confirm", kwargs={"token": token}))
    _mail(email, "confirm", {"confirm_url": url})
    return user


def _unconfirmed_donor(user):
    return (
        not user.is_active
        and DonorAccount.objects.filter(user_id=user.pk, confirmed_at__isnull=True).exists()
    )


def confirm(token):
    """Activate the account a confirmation token names; attach earlier gifts. Returns the user,
    or None for a bad, old or already used token. Signs nobody in."""
    user = user_for_link(token, CONFIRM)
    if user is None:
        return None
    with transaction.atomic():
        account = DonorAccount.objects.select_for_update().get(user_id=user.pk)
        if account.confirmed_at is not None:
            return None  # confirmed by a concurrent use of the same link
        account.confirmed_at = timezone.now()
        account.save(update_fields=["confirmed_at"])
        get_user_model().objects.filter(pk=user.pk).update(is_active=True)
        user.is_active = True
        attach_gifts(user)
    return user


def request_password_reset(email, *, build_url):
    """E-mail a password reset link to a confirmed donor with this address, or, to any other
    address, a note that no donor account uses it. One e-mail and one signature either way."""
    email = normalise_email(email)
    user = (
        get_user_model()
        .objects.filter(email__iexact=email, is_active=True, donor_account__confirmed_at__isnull=False)
        .first()
    )
    # Signed either way, so both answers cost the same.
    token = make_link_token(user or get_user_model()(pk=0, email=email), RESET)
    if user is None:
        _mail(email, "no_account", {"register_url": build_url(reverse("sixdegree_donations:register"))})
        return False
    url = build_url(reverse("sixdegree_donations:password_reset_confirm", kwargs={"token": token}))
    _mail(email, "reset", {"reset_url": url})
    return True


def reset_password(user, password):
    """Set a donor's new password; every earlier reset link stops working with the old hash."""
    user.set_password(password)
    user.save(update_fields=["password"])


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
    """Queue a donor-account e-mail: a mail server that is down never fails the form."""
    queued_account_mail.enqueue(to, template, context)
