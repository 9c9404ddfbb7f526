"""URLs of the donations app. A host site includes them under e.g. `donations/`, and
django-payments' callback URLs (`callbacks`, in place of `payments.urls`) under `payments/`."""

from django.urls import path

from . import account_views, update_views, views

app_name = "sixdegree_donations"

urlpatterns = [
    # str, not int: a tampered id gets the same clear "not open for donations" page.
    path("cases/<str:case_id>/give/", views.donate, name="donate"),
    path("<uuid:token>/pay/", views.pay, name="pay"),
    path("<uuid:token>/thanks/", views.thanks, name="thanks"),
    path("<uuid:token>/failed/", views.failed, name="failed"),
    path("<uuid:token>/cancel/", views.cancel, name="cancel"),
    # Donor accounts.
    path("account/", account_views.account, name="account"),
    path("account/register/", account_views.register, name="register"),
    path("account/confirm/<str:token>/", account_views.confirm, name="confirm"),
    path("account/password-reset/", account_views.password_reset, name="password_reset"),
    path("account/reset/<str:token>/", account_views.password_reset_confirm, name="password_reset_confirm"),
    path("account/login/", account_views.DonorLoginView.as_view(), name="login"),
    path("account/logout/", account_views.sign_out, name="logout"),
    path("account/delete/", account_views.delete, name="delete_account"),
    # Update e-mails' one-click unsubscribe (a signed token per donor address and case).
    path("updates/stop/<str:token>/", update_views.unsubscribe_updates, name="unsubscribe_updates"),
]
