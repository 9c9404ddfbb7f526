"""What a host site adds to its settings to run the plugin: one list of apps, one of middleware.

Kept free of Django imports so that a settings module can read it before Django is set up:

    from sixdegree_cases import SIXDEGREE_APPS, SIXDEGREE_MIDDLEWARE

    INSTALLED_APPS = [*SIXDEGREE_APPS, ...your apps, Wagtail's apps...]
    MIDDLEWARE = [*SIXDEGREE_MIDDLEWARE, ...your middleware...]

Every required setting has a system check (`sixdegree_cases.checks`) that names what to add.
Every app of SIXDEGREE_APPS is required (none is optional): the case pages are reviewed,
checked for privacy, cached and funded by them. A site that leaves one out is stopped before
any model loads, with a message naming it (`SixdegreeCasesConfig.import_models`).
"""

# The plugin's own apps, then the third-party apps it builds on (besides Wagtail's own, which
# the host lists as `wagtail start` does, with "wagtail.api.v2" and "rest_framework").
SIXDEGREE_APPS = [
    "sixdegree_cases",
    "sixdegree_cases.images",
    "sixdegree_cases.review",
    "sixdegree_cases.privacy",
    "sixdegree_cases.donations",
    "sixdegree_cases.caching",
    "payments",
    "django_countries",
    "wagtailgeowidget",
    # The donation policy (surplus text) is a site setting.
    "wagtail.contrib.settings",
]

# Wagtail apps the plugin needs beyond those `wagtail start` lists.
WAGTAIL_APPS_REQUIRED = [
    "wagtail.api.v2",
    "rest_framework",
]

# First in MIDDLEWARE: X-Forwarded-* headers count only from SIXDEGREE_TRUSTED_PROXIES, so a
# client cannot claim HTTPS or another address (rate limits, lock-outs, donation links).
# Then: every answer on an API path (SIXDEGREE_API_PATHS) is JSON, errors included.
SIXDEGREE_MIDDLEWARE = [
    "sixdegree_cases.addresses.UntrustedProxyHeadersMiddleware",
    "sixdegree_cases.api.errors.JSONErrorsMiddleware",
]

# The settings the plugin requires, with the value each must have where there is only one.
REQUIRED_SETTINGS = {
    # Every image is re-encoded without metadata and stored under a random name.
    "WAGTAILIMAGES_IMAGE_MODEL": "sixdegree_images.CaseImage",
    # Approving a privacy review publishes exactly the approved revision.
    "WAGTAIL_FINISH_WORKFLOW_ACTION": "sixdegree_cases.review.finish.publish_reviewed_workflow_state",
    # django-payments: donations are the plugin's own payment model.
    "PAYMENT_MODEL": "sixdegree_donations.Donation",
}
