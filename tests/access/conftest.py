import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def fresh_guess_counters():
    """Guess counters live in the default cache and in process memory: start each test empty."""
    from sixdegree_cases.restrictions import guesses

    cache.clear()
    guesses._local.clear()
    yield
    guesses._local.clear()
