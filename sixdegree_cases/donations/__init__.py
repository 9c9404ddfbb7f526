"""Donations to survivors' cases: django-payments glue, exact totals, receipts and finance views."""
