"""The checks to run, chosen by dotted path in `SIXDEGREE_PRIVACY_CHECKS` (like PAYMENT_VARIANTS)."""

from django.core import checks as system_checks
from django.utils.module_loading import import_string

from ...conf import get_setting
from .base import PrivacyCheck


class CheckConfigurationError(ValueError):
    """A path in SIXDEGREE_PRIVACY_CHECKS does not name a PrivacyCheck subclass."""


def load_check(path):
    """Import the check class at `path` and return an instance of it."""
    try:
        check_class = import_string(path)
    except ImportError as error:
        raise CheckConfigurationError(f"{path} cannot be imported: {error}") from error
    if not (isinstance(check_class, type) and issubclass(check_class, PrivacyCheck)):
        raise CheckConfigurationError(f"{path} is not a subclass of PrivacyCheck.")
    if not check_class.id:
        raise CheckConfigurationError(f"{path} has no id.")
    return check_class()


def get_checks():
    """An instance of every check listed in SIXDEGREE_PRIVACY_CHECKS, in order."""
    return [load_check(path) for path in get_setting("SIXDEGREE_PRIVACY_CHECKS")]


@system_checks.register()
def check_privacy_checks_setting(app_configs=None, **kwargs):
    """`manage.py check` reports a check path that cannot run, before a review ever needs it."""
    errors = []
    seen = set()
    for path in get_setting("SIXDEGREE_PRIVACY_CHECKS"):
        try:
            check = load_check(path)
        except CheckConfigurationError as error:
            errors.append(system_checks.Error(str(error), id="sixdegree_privacy.E001"))
            continue
        if check.id in seen:
            errors.append(
                system_checks.Error(
                    f"Two privacy checks share the id {check.id!r}.", id="sixdegree_privacy.E002"
                )
            )
        seen.add(check.id)
    if not get_setting("SIXDEGREE_PRIVACY_CHECKS"):
        errors.append(
            system_checks.Warning(
                "SIXDEGREE_PRIVACY_CHECKS is empty: no privacy check runs.", id="sixdegree_privacy.W001"
            )
        )
    return errors
