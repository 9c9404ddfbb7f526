"""Template context for every page: whether payments are in test mode (no real money)."""

from .giving import test_mode_active


def payments_test_mode(request):
    """`payments_test_mode` is true while the dummy provider is configured: every page then
    shows the "test mode" banner (sixdegree_donations/includes/test_mode_banner.html)."""
    return {"payments_test_mode": test_mode_active()}
