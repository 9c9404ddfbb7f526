"""Sixdegree cases: a Wagtail plugin for privacy-first crowdfunding for survivors of trafficking."""

from .contract import SIXDEGREE_APPS, SIXDEGREE_MIDDLEWARE

__all__ = ["SIXDEGREE_APPS", "SIXDEGREE_MIDDLEWARE"]
