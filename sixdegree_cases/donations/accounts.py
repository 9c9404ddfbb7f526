"""Donor accounts: register with e-mail and password, confirm by e-mail, see your gifts, leave.

- Registering and resetting a password never say whether an address has an account, in
  words or in time: both branches do the same work and queue one e-mail task (the owner of
  the account learns what happened from the e-mail), so neither form tells who gives.
- The queue holds ids only: a task names the user and the e-mail's purpose, and builds the
  address and a freshly signed link when it runs. Neither an address nor a link rests in the
  task table, where anyone reading the database (or a backup) would find them.
- Links e-mailed to a donor work once and for `SIXDEGREE_DONOR_LINK_MAX_AGE` seconds, and never
  sign anyone in: whoever opens one still needs the password.
- Confirming the address attaches every earlier gift made with it; gifts made while signed in
  attach at once.
- Deleting the account keeps the gifts (accounting) but anonymises them: no e-mail, no name,
  no link to anyone.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core import signing
from django.core.mail import send_mail
from django.db import IntegrityError, models, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from payments.core import get_base_url

from ..conf import get_setting
from .models import Donation, DonorAccount

CONFIRM = "confirm"
RESET = "reset"
# The other donor-account e-mails: the owner of an address that has an account is told that
# someone tried to register it; a user who is not a donor is told a reset found no donor account.
ALREADY_REGISTERED = "already_registered"
NO_ACCOUNT = "no_account"


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


def register(email, password):
    """Create an inactive donor account and queue its confirmation e-mail.

    If the address is taken (anyone's e-mail or username), its owner is told by e-mail instead
    and nothing is created; if it belongs to a donor account never confirmed, a new link is
    sent instead (links expire within hours). The password is hashed either way: skipping the
    slow hash for a taken address answered in 10 ms instead of 239, which told who has an account.
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
            existing = find_user(email)
    if user is None:
        _mail(existing.pk if existing is not None else None, ALREADY_REGISTERED)
        return None
    _mail(user.pk, CONFIRM)
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


def request_password_reset(email):
    """Queue a password reset e-mail for a confirmed donor with this address; to a user with this
    address who is not one (staff, a donor who never confirmed), a note that no donor account
    uses it. One query and one queued task either way.

    An address nobody uses gets nothing: the queue holds ids only, and there is no id to name
    the stranger by (storing the address for a courtesy note would put it at rest in the queue).
    The task is queued all the same, naming nobody, so the answer costs the same.
    """
    email = normalise_email(email)
    confirmed = DonorAccount.objects.filter(user_id=models.OuterRef("pk"), confirmed_at__isnull=False)
    user = (
        get_user_model()
        .objects.filter(models.Q(email__iexact=email) | models.Q(username__iexact=email))
        .annotate(donor=models.Exists(confirmed))
        .order_by("-donor", "pk")
        .first()
    )
    if user is not None and user.donor and user.is_active and normalise_email(user.email) == email:
        _mail(user.pk, RESET)
        return True
    _mail(user.pk if user is not None else None, NO_ACCOUNT)
    return False


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


def _mail(user_id, purpose):
    """Queue a donor-account e-mail by ids only: a mail server that is down never fails the form,
    and neither the address nor the link rests in the task table."""
    from .tasks import send_account_mail as queued

    queued.enqueue(user_id, purpose)


def _confirm_context(user):
    if not _unconfirmed_donor(user):
        return None  # confirmed since (or never a donor): no new link
    return {"confirm_url": _absolute("sixdegree_donations:confirm", token=make_link_token(user, CONFIRM))}


def _reset_context(user):
    if not (user.is_active and is_donor(user)):
        return None  # deactivated, deleted or never confirmed since it was asked
    url = _absolute("sixdegree_donations:password_reset_confirm", token=make_link_token(user, RESET))
    return {"reset_url": url}


def _already_registered_context(user):
    return {"login_url": _absolute("sixdegree_donations:login")}


def _no_account_context(user):
    if user.is_active and is_donor(user):
        return None  # a donor account uses the address now: the note would be wrong
    return {"register_url": _absolute("sixdegree_donations:register")}


# Each purpose, the e-mail template of the same name and how its context is built when the task
# runs (None: the user no longer fits the purpose, and nothing is sent).
PURPOSES = {
    CONFIRM: _confirm_context,
    RESET: _reset_context,
    ALREADY_REGISTERED: _already_registered_context,
    NO_ACCOUNT: _no_account_context,
}


def _absolute(name, **kwargs):
    """This site's absolute URL of a donations view (the base URL the receipts use, since the
    task has no request to take a host from)."""
    return f"{get_base_url()}{reverse(name, kwargs=kwargs or None)}"


def send_account_mail(user_id, purpose):
    """Send a donor-account e-mail now (the task `tasks.send_account_mail` calls this).

    Everything comes from what is true when it runs: the user's current address and a link
    signed now (bound to the account's state, so it works once and only until the password or
    address changes). Sends nothing (returns 0) for an unknown purpose, a user who is gone or has
    no address, or one who no longer fits the purpose: a task run late or twice never mails a
    link that should not exist.
    """
    build = PURPOSES.get(purpose) if isinstance(purpose, str) else None
    if build is None or not isinstance(user_id, int) or isinstance(user_id, bool):
        return 0
    user = get_user_model().objects.filter(pk=user_id).first()
    if user is None or not user.email:
        return 0
    context = build(user)
    if context is None:
        return 0
    context = {"site_name": getattr(settings, "WAGTAIL_SITE_NAME", "Sixdegree"), **context}
    subject = render_to_string(f"sixdegree_donations/mail/{purpose}_subject.txt", context)
    body = render_to_string(f"sixdegree_donations/mail/{purpose}.txt", context)
    return send_mail(" ".join(subject.split()), body, settings.DEFAULT_FROM_EMAIL, [user.email])
