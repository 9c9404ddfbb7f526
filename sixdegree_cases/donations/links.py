"""Links and e-mails for donor accounts, by id: what a queued account e-mail says is built here
when its task runs (the queue holds a user id and a purpose, never an address or a link), and
the signed links bound to an account's state that those e-mails carry.

A leaf below `accounts` (which queues the e-mails) and `tasks` (which sends them).
"""

from django.contrib.auth import get_user_model
from django.core import signing
from django.urls import reverse
from django.utils.crypto import salted_hmac
from payments.core import get_base_url

from .models import DonorAccount

CONFIRM = "confirm"
RESET = "reset"
# The other donor-account e-mails: the owner of an address that has an account is told that
# someone tried to register it; a user who is not a donor is told a reset found no donor account.
ALREADY_REGISTERED = "already_registered"
NO_ACCOUNT = "no_account"


def normalise_email(email):
    return email.strip().lower()


def link_state(user):
    """What a link is bound to: using the link changes it (confirming activates the account,
    a reset changes the password hash), so a used link no longer matches: links work once."""
    account = DonorAccount.objects.filter(user_id=user.pk).values_list("confirmed_at", flat=True).first()
    value = f"{user.pk}|{normalise_email(user.email)}|{user.password}|{user.is_active}|{account}"
    return salted_hmac("sixdegree.donations.link-state", value, algorithm="sha256").hexdigest()[:32]


def make_link_token(user, purpose):
    """A signed, timestamped token for a link e-mailed to `user` (CONFIRM or RESET)."""
    return signing.dumps({"u": user.pk, "s": link_state(user)}, salt=f"sixdegree.donations.{purpose}")


def unconfirmed_donor(user):
    return (
        not user.is_active
        and DonorAccount.objects.filter(user_id=user.pk, confirmed_at__isnull=True).exists()
    )


def is_donor(user):
    """True for a signed-in user with a confirmed donor account (never staff accounts)."""
    if not user.is_authenticated:
        return False
    account = DonorAccount.objects.filter(user=user).first()
    return account is not None and account.confirmed_at is not None


def _confirm_context(user):
    if not unconfirmed_donor(user):
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


def account_mail(user_id, purpose):
    """What a donor-account e-mail says, built when its task runs: `(address, purpose, context)`,
    the purpose naming the e-mail's template, or None when nothing may be sent.

    Everything comes from what is true when it runs: the user's current address and a link
    signed now (bound to the account's state, so it works once and only until the password or
    address changes). Nothing for an unknown purpose, a user who is gone or has no address, or
    one who no longer fits the purpose: a task run late or twice never mails a link that should
    not exist.
    """
    build = PURPOSES.get(purpose) if isinstance(purpose, str) else None
    if build is None or not isinstance(user_id, int) or isinstance(user_id, bool):
        return None
    user = get_user_model().objects.filter(pk=user_id).first()
    if user is None or not user.email:
        return None
    context = build(user)
    if context is None:
        return None
    return user.email, purpose, context
