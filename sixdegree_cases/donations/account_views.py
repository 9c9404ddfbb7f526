"""Donor account pages: register, confirm, sign in and out, reset a forgotten password, my
gifts, delete my account."""

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm, SetPasswordForm
from django.contrib.auth.password_validation import validate_password
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from payments import PaymentStatus

from . import accounts
from .models import Donation
from .ratelimit import too_many_attempts

# The longest address a user or a donation can store (RFC 5321 paths): a longer one gets a
# message on the form rather than an error from the database.
EMAIL_MAX_LENGTH = 254


class RegisterForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=EMAIL_MAX_LENGTH,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    password = forms.CharField(
        label=_("Password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean_email(self):
        # A donor's username is their address, and usernames are shorter (150 in Django's
        # user model) than addresses: a longer one gets a message rather than a database error.
        email = self.cleaned_data["email"]
        user_model = get_user_model()
        limit = user_model._meta.get_field(user_model.USERNAME_FIELD).max_length
        if limit and len(email) > limit:
            raise forms.ValidationError(
                gettext(
                    "An account needs an e-mail address of at most %(limit)d characters. "
                    "You can still give with this one."
                )
                % {"limit": limit},
                code="email_too_long_for_an_account",
            )
        return email

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password"):
            try:
                validate_password(cleaned["password"])
            except forms.ValidationError as error:
                self.add_error("password", error)
        return cleaned


class EmailAuthenticationForm(AuthenticationForm):
    """Sign in with the e-mail address (donor usernames are their lower-cased address)."""

    username = forms.EmailField(
        label=_("E-mail address"),
        max_length=EMAIL_MAX_LENGTH,
        widget=forms.EmailInput(attrs={"autofocus": True}),
    )

    def clean(self):
        if self.cleaned_data.get("username"):
            self.cleaned_data["username"] = accounts.normalise_email(self.cleaned_data["username"])
        return super().clean()


class PasswordResetRequestForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=EMAIL_MAX_LENGTH,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class DeleteForm(forms.Form):
    password = forms.CharField(
        label=_("Your password, to confirm"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


@never_cache
@require_http_methods(["GET", "POST"])
def register(request):
    form = RegisterForm(request.POST or None)
    if request.method == "POST":
        if too_many_attempts(request, "register"):
            return render(request, "sixdegree_donations/too_many.html", status=429)
        if form.is_valid():
            accounts.register(form.cleaned_data["email"], form.cleaned_data["password"])
            # The same answer whether or not the address had an account.
            return render(request, "sixdegree_donations/account/check_inbox.html")
    return render(request, "sixdegree_donations/account/register.html", {"form": form})


@never_cache
@require_http_methods(["GET", "POST"])
def confirm(request, token):
    """GET shows a button; POST confirms (link scanners in mail systems only GET).

    Confirming signs nobody in: the link may be opened in another browser, forwarded or read
    by someone else with the mailbox, so the account still needs its password.
    """
    if request.method == "GET":
        return render(request, "sixdegree_donations/account/confirm.html", {"token": token})
    if accounts.confirm(token) is None:
        return render(request, "sixdegree_donations/account/confirm.html", {"invalid": True}, status=400)
    messages.success(request, gettext("Your e-mail address is confirmed. Please sign in."))
    return redirect("sixdegree_donations:login")


@never_cache
@require_http_methods(["GET", "POST"])
def password_reset(request):
    """Ask for a reset link. The same page follows whether or not the address has an account."""
    form = PasswordResetRequestForm(request.POST or None)
    if request.method == "POST":
        if too_many_attempts(request, "password_reset"):
            return render(request, "sixdegree_donations/too_many.html", status=429)
        if form.is_valid():
            accounts.request_password_reset(form.cleaned_data["email"])
            return render(request, "sixdegree_donations/account/check_inbox.html", {"reset": True})
    return render(request, "sixdegree_donations/account/password_reset.html", {"form": form})


@never_cache
@require_http_methods(["GET", "POST"])
def password_reset_confirm(request, token):
    """Choose a new password from a reset link (once, briefly valid; signs nobody in)."""
    if request.method == "POST" and too_many_attempts(request, "password_reset"):
        return render(request, "sixdegree_donations/too_many.html", status=429)
    user = accounts.user_for_link(token, accounts.RESET)
    if user is None:
        return render(
            request, "sixdegree_donations/account/password_reset_confirm.html", {"invalid": True}, status=400
        )
    form = SetPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        accounts.reset_password(user, form.cleaned_data["new_password1"])
        messages.success(request, gettext("Your password is changed. Please sign in."))
        return redirect("sixdegree_donations:login")
    return render(request, "sixdegree_donations/account/password_reset_confirm.html", {"form": form})


class DonorLoginView(auth_views.LoginView):
    template_name = "sixdegree_donations/account/login.html"
    authentication_form = EmailAuthenticationForm
    next_page = reverse_lazy("sixdegree_donations:account")

    def form_valid(self, form):
        if not accounts.is_donor(form.get_user()):
            form.add_error(None, gettext("Please enter a correct e-mail address and password."))
            return self.form_invalid(form)
        return super().form_valid(form)


@never_cache
def account(request):
    """My gifts and the cases I support."""
    if not accounts.is_donor(request.user):
        return redirect("sixdegree_donations:login")
    accounts.attach_gifts(request.user)
    gifts = (
        Donation.objects.filter(donor=request.user)
        .exclude(status__in=[PaymentStatus.WAITING, PaymentStatus.INPUT])
        .select_related("case")
        .order_by("-created")
    )
    supported = []
    for gift in gifts:
        if gift.status == PaymentStatus.CONFIRMED and gift.case.live and gift.case not in supported:
            supported.append(gift.case)
    return render(
        request, "sixdegree_donations/account/account.html", {"gifts": gifts, "supported": supported}
    )


@never_cache
@require_http_methods(["GET", "POST"])
def delete(request):
    if not accounts.is_donor(request.user):
        return redirect("sixdegree_donations:login")
    form = DeleteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if request.user.check_password(form.cleaned_data["password"]):
            user = request.user
            logout(request)
            accounts.delete_account(user)
            return render(request, "sixdegree_donations/account/deleted.html")
        form.add_error("password", gettext("That is not your password."))
    return render(request, "sixdegree_donations/account/delete.html", {"form": form})


@require_http_methods(["POST"])
def sign_out(request):
    logout(request)
    return redirect("/")
