"""Automated privacy checks: each a small `PrivacyCheck` subclass listed in SIXDEGREE_PRIVACY_CHECKS."""

from .base import CheckContext, PrivacyCheck
from .registry import get_checks

__all__ = ["CheckContext", "PrivacyCheck", "get_checks"]
