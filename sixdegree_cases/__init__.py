"""Sixdegree cases: a Wagtail plugin for privacy-first crowdfunding for survivors of trafficking.

A leaf module, like `wagtail/images/__init__.py`: modules below the page models (privacy, review,
caching, donations) reach the case model through `get_case_model()` instead of importing
`sixdegree_cases.models`, so that dependencies point one way (tests/plugin/test_import_graph.py).
Importing this module needs no configured Django: settings modules read SIXDEGREE_APPS from it.
"""

from .contract import SIXDEGREE_APPS, SIXDEGREE_MIDDLEWARE

__all__ = [
    "SIXDEGREE_APPS",
    "SIXDEGREE_MIDDLEWARE",
    "get_case_model",
    "get_case_model_string",
    "get_update_model",
]

DEFAULT_CASE_MODEL = "sixdegree_cases.SurvivorCasePage"


def get_case_model_string():
    """The case page model as "app_label.ModelName": SIXDEGREE_CASE_MODEL, or the plugin's own."""
    from django.conf import settings

    return getattr(settings, "SIXDEGREE_CASE_MODEL", DEFAULT_CASE_MODEL)


def get_case_model():
    """The case page model class (the plugin's `SurvivorCasePage` or a subclass of it).

    A system check (sixdegree.E110) refuses a setting that names anything else."""
    from django.apps import apps
    from django.core.exceptions import ImproperlyConfigured

    model_string = get_case_model_string()
    try:
        return apps.get_model(model_string, require_ready=False)
    except ValueError as error:
        raise ImproperlyConfigured(
            "SIXDEGREE_CASE_MODEL must be of the form 'app_label.model_name'"
        ) from error
    except LookupError as error:
        raise ImproperlyConfigured(
            f"SIXDEGREE_CASE_MODEL refers to model '{model_string}' that has not been installed"
        ) from error


def get_update_model():
    """The case update page model (`CaseUpdate`), for modules below the page models."""
    from django.apps import apps

    return apps.get_model("sixdegree_cases", "CaseUpdate", require_ready=False)
