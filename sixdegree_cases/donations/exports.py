"""Finance exports that open cleanly in a spreadsheet or an accounting import.

Wagtail writes a CSV's datetimes as Python prints them ("2026-03-01 09:14:02.481230+00:00");
these are ISO 8601 in UTC to the second ("2026-03-01T09:14:02Z"), and dates as "2026-03-01".
"""

import datetime

from django.utils import timezone
from wagtail.admin.views.generic.models import IndexView


def iso_datetime(value):
    """An aware or naive datetime as ISO 8601 in UTC, to the second ("…T09:14:02Z")."""
    if timezone.is_naive(value):
        value = timezone.make_aware(value, datetime.UTC)
    return value.astimezone(datetime.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def iso_date(value):
    return value.isoformat()


class FinanceIndexView(IndexView):
    """A finance listing whose CSV export writes ISO 8601 dates and times."""

    custom_value_preprocess = {
        **IndexView.custom_value_preprocess,
        datetime.datetime: {
            **IndexView.custom_value_preprocess.get(datetime.datetime, {}),
            IndexView.FORMAT_CSV: iso_datetime,
        },
        datetime.date: {IndexView.FORMAT_CSV: iso_date, IndexView.FORMAT_XLSX: None},
    }
