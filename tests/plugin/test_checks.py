"""`manage.py check` names each piece of the plugin contract a host site left out."""

import pytest
from django.core import checks
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import override_settings

from sixdegree_cases import SIXDEGREE_APPS
from sixdegree_cases import checks as contract


def ids(messages):
    return sorted(message.id for message in messages)


def test_this_site_passes_every_contract_check():
    assert contract.check_installed_apps() == []
    assert contract.check_required_settings() == []
    assert contract.check_url_includes() == []
    assert contract.check_map_assets() == []


def test_the_site_lists_the_plugins_apps_from_the_helper():
    from django.conf import settings

    assert [app for app in settings.INSTALLED_APPS if app in SIXDEGREE_APPS] == [
        app for app in settings.INSTALLED_APPS if app in set(SIXDEGREE_APPS)
    ]
    assert set(SIXDEGREE_APPS) <= set(settings.INSTALLED_APPS)


def test_a_missing_sub_app_is_named():
    from django.conf import settings

    installed = [app for app in settings.INSTALLED_APPS if app not in {"sixdegree_cases.review", "payments"}]
    assert contract.missing_apps(installed) == ["sixdegree_cases.review", "payments"]
    assert contract.missing_apps(settings.INSTALLED_APPS) == []


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("WAGTAILIMAGES_IMAGE_MODEL", "wagtailimages.Image"),
        ("WAGTAIL_FINISH_WORKFLOW_ACTION", "wagtail.workflows.publish_workflow_state"),
        ("PAYMENT_MODEL", "host.Payment"),
    ],
)
def test_a_wrong_required_setting_is_named_with_what_to_add(name, value):
    with override_settings(**{name: value}):
        errors = contract.check_required_settings()
    assert ids(errors) == ["sixdegree_cases.E102"]
    assert name in errors[0].msg
    assert contract.REQUIRED_SETTINGS[name] in errors[0].hint


@pytest.mark.parametrize(
    ("name", "error_id"),
    [
        ("WAGTAILIMAGES_IMAGE_MODEL", "sixdegree_cases.E102"),
        ("WAGTAIL_FINISH_WORKFLOW_ACTION", "sixdegree_cases.E102"),
        ("PAYMENT_HOST", "sixdegree_cases.E103"),
        ("PAYMENT_VARIANTS", "sixdegree_cases.E104"),
    ],
)
def test_a_missing_setting_is_named(settings, name, error_id):
    delattr(settings, name)
    errors = contract.check_required_settings()
    assert error_id in ids(errors)
    assert any(name in error.msg for error in errors)


def test_an_unknown_payment_variant_is_named(settings):
    settings.SIXDEGREE_PAYMENT_VARIANT = "stripe"
    settings.PAYMENT_VARIANTS = {"dummy": ("payments.dummy.DummyProvider", {})}
    assert ids(contract.check_required_settings()) == ["sixdegree_cases.E105"]


@override_settings(ROOT_URLCONF="tests.plugin.urls_without_plugin")
def test_each_missing_url_include_is_named():
    errors = contract.check_url_includes()
    assert ids(errors) == ["sixdegree_cases.E106"] * 3 + ["sixdegree_cases.E107"]
    hints = " ".join(error.hint for error in errors)
    for module in (
        "sixdegree_cases.urls",
        "sixdegree_cases.donations.urls",
        "sixdegree_cases.donations.callbacks",
    ):
        assert module in hints
    assert "sixdegree_cases.restrictions.urls" in hints


@override_settings(ROOT_URLCONF="tests.plugin.urls_with_library_callbacks")
def test_django_payments_own_callbacks_are_refused():
    errors = contract.check_url_includes()
    assert ids(errors) == ["sixdegree_cases.E111"]
    assert "sixdegree_cases.donations.callbacks" in errors[0].hint


@override_settings(ROOT_URLCONF="tests.plugin.urls_with_images_api")
def test_the_images_api_is_refused():
    errors = contract.check_url_includes()
    assert ids(errors) == ["sixdegree_cases.E108"]
    assert "host-api/images/" in errors[0].msg


def test_missing_map_assets_are_named(settings):
    settings.SIXDEGREE_LEAFLET_JS = "vendor/nowhere/leaflet.js"
    errors = contract.check_map_assets()
    assert ids(errors) == ["sixdegree_cases.W109"]
    assert "SIXDEGREE_LEAFLET_JS" in errors[0].msg


def test_manage_py_check_fails_on_a_missing_setting(settings):
    del settings.PAYMENT_VARIANTS
    with pytest.raises(SystemCheckError, match="PAYMENT_VARIANTS"):
        call_command("check")


def test_the_checks_are_registered():
    registered = checks.registry.registry.get_checks()
    for check in (
        contract.check_installed_apps,
        contract.check_required_settings,
        contract.check_url_includes,
        contract.check_map_assets,
    ):
        assert check in registered
