"""Structured logging: one JSON object per line, for the log collector of your platform."""

from pythonjsonlogger.core import RESERVED_ATTRS
from pythonjsonlogger.json import JsonFormatter as BaseJsonFormatter

# Django attaches the request to its records: its repr is noise, and may hold query strings.
NOT_LOGGED = [*RESERVED_ATTRS, "request"]


class JsonFormatter(BaseJsonFormatter):
    """`{"time": ..., "level": ..., "logger": ..., "message": ...}` plus a record's extras."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("fmt", "%(asctime)s %(levelname)s %(name)s %(message)s")
        kwargs.setdefault("datefmt", "%Y-%m-%dT%H:%M:%S%z")
        kwargs.setdefault("rename_fields", {"asctime": "time", "levelname": "level", "name": "logger"})
        kwargs.setdefault("reserved_attrs", NOT_LOGGED)
        super().__init__(*args, **kwargs)
