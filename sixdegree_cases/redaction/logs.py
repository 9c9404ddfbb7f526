"""A logging filter that keeps case text out of log lines.

Wagtail logs every page action at INFO with the page's title, slug and path ('Page created:
"<title>" ... path=/home/cases/<slug>/'), and its CDN purge logs each URL. A draft's title
can be a survivor's real name. This filter withholds every text argument of Wagtail's log
records (ids and numbers stay, so a line still says what happened to which page), quoted text
in Wagtail's pre-formatted lines, and the message of any exception logged by Wagtail, this
plugin, Django's request handler or the task worker (see `EXCEPTION_NAMESPACES`).

`install()` (called from the app's `ready()`) redacts every record as it is made; a site may
add `CaseTextFilter` to its handlers too, for records made elsewhere.
"""

import logging
import re
import traceback
from collections.abc import Mapping

from ..compat import wrap_log_record_factory

WITHHELD = "[withheld]"
# Loggers whose exceptions may quote case text (a check that crashes on a story, a task that
# fails on its arguments, a 500 while saving a page): their messages are withheld. The plugin's
# own log arguments are ids by construction.
EXCEPTION_NAMESPACES = ("wagtail", "sixdegree_cases", "django.request", "django_tasks", "django_tasks_db")
# Ids, counts and timestamps say nothing about a survivor.
_HARMLESS = re.compile(r"^[0-9][0-9:.+\-TZ ]*$")
_QUOTED = re.compile(r"""(["'])(?:(?!\1).)*\1""")


def _in_namespace(name, namespace):
    return name == namespace or name.startswith(f"{namespace}.")


def _withhold(value):
    if value is None or isinstance(value, int | float):
        return value
    text = str(value)
    return text if _HARMLESS.match(text) else WITHHELD


def withhold_exception(exc_info):
    """The traceback of `exc_info` with its frames and exception class, without its message."""
    exc_type, _value, tb = exc_info
    frames = "".join(traceback.format_tb(tb))
    name = f"{exc_type.__module__}.{exc_type.__qualname__}"
    return f"Traceback (most recent call last):\n{frames}{name}: {WITHHELD}"


def redact(record):
    """Withhold page text from a Wagtail record, and the exception message from a record of
    `EXCEPTION_NAMESPACES`. Idempotent."""
    is_wagtail = _in_namespace(record.name, "wagtail")
    if is_wagtail:
        if isinstance(record.args, Mapping):
            record.args = {key: _withhold(value) for key, value in record.args.items()}
        elif record.args:
            record.args = tuple(_withhold(value) for value in record.args)
        else:
            # Lines Wagtail formats itself (f-strings) quote the page: withhold the quotes.
            record.msg = _QUOTED.sub(WITHHELD, str(record.msg))
    if record.exc_info and any(_in_namespace(record.name, name) for name in EXCEPTION_NAMESPACES):
        if record.exc_info[0] is not None:
            record.exc_text = withhold_exception(record.exc_info)
        record.exc_info = None
    return record


class CaseTextFilter(logging.Filter):
    """`redact()` as a logging filter, for a site's handlers (see module docstring)."""

    def filter(self, record):
        redact(record)
        return True


def install():
    """Redact every record as it is made, whichever logger makes it (idempotent; see
    `compat.wrap_log_record_factory`)."""
    wrap_log_record_factory(redact)
