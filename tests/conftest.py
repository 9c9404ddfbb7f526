import os

import pytest

# Playwright's sync API runs an event loop in the test thread; live_server tests touch the ORM
# from that same thread, which Django would otherwise refuse (SynchronousOnlyOperation).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items):
    """Give every transactional test (live server, concurrency) a serialized rollback.

    A transactional test empties the database when it ends; without this, Wagtail's root page
    and default locale (created by migrations) would be gone for every test that runs after it.
    """
    for item in items:
        fixtures = getattr(item, "fixturenames", [])
        marker = item.get_closest_marker("django_db")
        transactional = marker is not None and marker.kwargs.get("transaction", False)
        if transactional or "transactional_db" in fixtures or "live_server" in fixtures:
            if "django_db_serialized_rollback" not in fixtures:
                fixtures.append("django_db_serialized_rollback")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's chromium, headless, with no background traffic to any other host."""
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/bin/chromium",
        "headless": True,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-default-apps",
        ],
    }


@pytest.fixture
def home(db):
    from tests.factories import make_home

    return make_home()


@pytest.fixture
def case_index(home):
    from tests.factories import make_case_index

    return make_case_index(home)
