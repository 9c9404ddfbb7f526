"""System checks of the plugin contract: `manage.py check` names each missing piece.

Without them a host learns late and misleadingly: a missing table, a permission error at
approval, a NoReverseMatch on every case page, an AttributeError at the first donation.
"""

from django.apps import apps
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.urls import NoReverseMatch, Resolver404, URLPattern, URLResolver, get_resolver, resolve, reverse

from . import DEFAULT_CASE_MODEL, get_case_model, get_case_model_string
from .conf import get_setting
from .contract import REQUIRED_SETTINGS, SIXDEGREE_APPS, WAGTAIL_APPS_REQUIRED

RECIPE = "See README, 'Using the plugin in another Wagtail site'."

# URL includes, each found again by reverse(): (URL name, arguments, what to add).
URL_INCLUDES = [
    (
        "sixdegree_cases:journey_geojson",
        [1],
        'path("api/v2/", include("sixdegree_cases.urls", namespace="sixdegree_cases"))',
    ),
    (
        "sixdegree_donations:donate",
        ["1"],
        'path("donations/", include("sixdegree_cases.donations.urls", namespace="sixdegree_donations"))',
    ),
    (
        "process_payment",
        ["00000000-0000-0000-0000-000000000000"],
        'path("payments/", include("sixdegree_cases.donations.callbacks"))',
    ),
]

# The plugin's map assets: without them the page answers 200 and the map never draws.
MAP_ASSETS = ["SIXDEGREE_LEAFLET_JS", "SIXDEGREE_LEAFLET_CSS", "SIXDEGREE_TOPOJSON_JS", "SIXDEGREE_BASEMAP"]


@checks.register()
def check_installed_apps(app_configs=None, **kwargs):
    """Every app of SIXDEGREE_APPS and the Wagtail API apps are installed."""
    missing = missing_apps(config.name for config in apps.get_app_configs())
    if not missing:
        return []
    return [
        checks.Error(
            f"INSTALLED_APPS lacks {', '.join(missing)}.",
            hint=f"INSTALLED_APPS = [*SIXDEGREE_APPS, ...] (from sixdegree_cases import SIXDEGREE_APPS), "
            f'and "wagtail.api.v2", "rest_framework". {RECIPE}',
            id="sixdegree_cases.E101",
        )
    ]


def missing_apps(installed):
    """The apps of the contract absent from `installed` (app names), in the contract's order."""
    installed = set(installed)
    return [name for name in [*SIXDEGREE_APPS, *WAGTAIL_APPS_REQUIRED] if name not in installed]


@checks.register()
def check_required_settings(app_configs=None, **kwargs):
    """The image model, the finish action and the payment settings."""
    errors = []
    for name, value in REQUIRED_SETTINGS.items():
        if getattr(settings, name, None) != value:
            errors.append(
                checks.Error(
                    f"{name} must be {value!r}.",
                    hint=f'Add {name} = "{value}" to your settings. {RECIPE}',
                    id="sixdegree_cases.E102",
                )
            )
    if not getattr(settings, "PAYMENT_HOST", ""):
        errors.append(
            checks.Error(
                "PAYMENT_HOST is not set: payment providers cannot send the donor back.",
                hint='Add PAYMENT_HOST = "your.host:port" (host only, no scheme) and PAYMENT_USES_SSL.',
                id="sixdegree_cases.E103",
            )
        )
    variants = getattr(settings, "PAYMENT_VARIANTS", None)
    if not isinstance(variants, dict) or not variants:
        errors.append(
            checks.Error(
                "PAYMENT_VARIANTS is not set: no donation can start.",
                hint='Add PAYMENT_VARIANTS = {"dummy": ("payments.dummy.DummyProvider", {})} for a test '
                "server, or the Stripe provider (sixdegree_cases.donations.providers.stripe.StripeProvider).",
                id="sixdegree_cases.E104",
            )
        )
    elif (chosen := get_setting("SIXDEGREE_PAYMENT_VARIANT")) and chosen not in variants:
        errors.append(
            checks.Error(
                f"SIXDEGREE_PAYMENT_VARIANT {chosen!r} is not a key of PAYMENT_VARIANTS.",
                id="sixdegree_cases.E105",
            )
        )
    return errors


@checks.register(checks.Tags.urls)
def check_url_includes(app_configs=None, **kwargs):
    """The plugin's URLs are included, and its password views come before Wagtail's."""
    errors = []
    for name, args, include in URL_INCLUDES:
        try:
            reverse(name, args=args)
        except NoReverseMatch:
            errors.append(
                checks.Error(
                    f"The URL {name!r} cannot be found.",
                    hint=f"Add {include} to your urlpatterns. {RECIPE}",
                    id="sixdegree_cases.E106",
                )
            )
    if not _password_views_are_the_plugins():
        errors.append(
            checks.Error(
                "Wagtail's password form for pages answers without the plugin's guess limit.",
                hint='Add path("", include("sixdegree_cases.restrictions.urls")) to your urlpatterns, '
                "before wagtail.urls.",
                id="sixdegree_cases.E107",
            )
        )
    if _payment_callbacks_are_the_librarys():
        errors.append(
            checks.Error(
                "django-payments' own callback URLs are included: a webhook for a provider without "
                "webhooks answers 500 there.",
                hint='Include "sixdegree_cases.donations.callbacks" in place of "payments.urls" (same '
                'paths and URL names): path("payments/", include("sixdegree_cases.donations.callbacks")).',
                id="sixdegree_cases.E111",
            )
        )
    errors.extend(_images_api_endpoints())
    return errors


def _payment_callbacks_are_the_librarys():
    from payments import urls as payments_urls

    try:
        match = resolve(reverse("static_process_payment", args=["dummy"]))
    except (NoReverseMatch, Resolver404):
        return False  # no callbacks at all: E106 names the include
    return match.func is payments_urls.static_callback


def _password_views_are_the_plugins():
    from .restrictions import views

    try:
        match = resolve(reverse("wagtailcore_authenticate_with_password", args=[1, 1]))
    except (NoReverseMatch, Resolver404):
        return False
    return match.func is views.authenticate_page_with_password


def _images_api_endpoints():
    """Wagtail's public images endpoint lists every image with a link to its original file."""
    from wagtail.images.api.admin.views import ImagesAdminAPIViewSet
    from wagtail.images.api.v2.views import ImagesAPIViewSet

    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                path = (prefix + str(pattern.pattern)).replace("^", "").replace("$", "")
                yield path, getattr(pattern.callback, "cls", None)

    mounted = sorted(
        {
            path
            for path, view_class in walk(get_resolver().url_patterns)
            if isinstance(view_class, type)
            and issubclass(view_class, ImagesAPIViewSet)
            # The admin's own images API answers signed-in editors only.
            and not issubclass(view_class, ImagesAdminAPIViewSet)
        }
    )
    if not mounted:
        return []
    return [
        checks.Error(
            f"Wagtail's images API is mounted ({mounted[0]}): it serves every image's original file, "
            "case illustrations included.",
            hint="Register only the pages endpoint (sixdegree_cases.api.views.PublicPagesAPIViewSet); "
            "cases publish their images as renditions inside milestones.",
            id="sixdegree_cases.E108",
        )
    ]


@checks.register(checks.Tags.models)
def check_case_model(app_configs=None, **kwargs):
    """SIXDEGREE_CASE_MODEL names the plugin's case page model or a subclass of it."""
    try:
        model = get_case_model()
        base = apps.get_model(DEFAULT_CASE_MODEL)
    except (ImproperlyConfigured, LookupError) as error:
        problem = str(error)
    else:
        if issubclass(model, base):
            return []
        problem = f"SIXDEGREE_CASE_MODEL names {get_case_model_string()}, which is not a survivor case page."
    return [
        checks.Error(
            problem,
            hint=f'Leave SIXDEGREE_CASE_MODEL unset ("{DEFAULT_CASE_MODEL}") or name a subclass of '
            "SurvivorCasePage: the privacy checks, review and withdrawal read cases through it.",
            id="sixdegree_cases.E110",
        )
    ]


@checks.register(checks.Tags.staticfiles)
def check_map_assets(app_configs=None, **kwargs):
    """The map's assets are found by staticfiles (they ship in the plugin's wheel)."""
    missing = [f"{name} ({get_setting(name)})" for name in MAP_ASSETS if not finders.find(get_setting(name))]
    if not missing:
        return []
    # A warning, not an error: nothing is exposed, the story is still listed in full, and a
    # checkout without npm must still migrate. `check --fail-level WARNING` (deploys) stops.
    return [
        checks.Warning(
            f"Map assets missing from the static files: {', '.join(missing)}. The map would never draw.",
            hint="Install the plugin from its wheel (the assets ship in it); in a source checkout run "
            "`make assets`; or point these settings at your own copies.",
            id="sixdegree_cases.W109",
        )
    ]
