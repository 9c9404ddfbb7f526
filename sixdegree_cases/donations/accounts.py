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

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core import signing
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare

from ..conf import get_setting

# The account e-mails' purposes and the link helpers live in `links` (which the queued tasks
# use); they are re-exported here, where views and tests have always read them.
from .links import ALREADY_REGISTERED as ALREADY_REGISTERED
from .links import CONFIRM as CONFIRM
from .links import NO_ACCOUNT as NO_ACCOUNT
from .links import RESET as RESET
from .links import is_donor as is_donor
from .links import link_state, unconfirmed_donor
from .links import make_link_token as make_link_token
from .links import normalise_email as normalise_email
from .models import Donation, DonorAccount
from .tasks import send_account_mail as queued_account_mail


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


def user_for_link(token, purpose):
    """The donor a link token names if it is genuine, recent and unused, else None."""
    try:
        data = signing.loads(
            token, salt=f"sixdegree.donations.{purpose}", max_age=get_setting("SIXDEGREE_DONOR_LINK_MAX_AGE")
        )
        user = DonorAccount.objects.select_related("user").get(user_id=int(data["u"])).user
    except (signing.BadSignature, DonorAccount.DoesNotExist, KeyError, TypeError, ValueError):
        return None
    if not constant_time_compare(str(data.get("s", "")), link_state(user)):
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
    if existing is not None and unconfirmed_donor(existing):
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
    queued_account_mail.enqueue(user_id, purpose)
