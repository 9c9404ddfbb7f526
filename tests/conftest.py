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
        if transactional and not marker.kwargs.get("serialized_rollback", False):
            # pytest-django decides which databases to serialize from the marker alone.
            item.add_marker(
                pytest.mark.django_db(*marker.args, **marker.kwargs, serialized_rollback=True), append=False
            )


_SERIALIZED_CONTENTS = {}


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup):
    """pytest-django's set-up, keeping Django's serialized copy of each test database aside."""
    from django.db import connections

    for alias in connections:
        contents = getattr(connections[alias], "_test_serialized_contents", None)
        if contents is not None:
            _SERIALIZED_CONTENTS[alias] = contents


@pytest.fixture(autouse=True)
def _serialized_contents_survive_playwright(request):
    """Put the serialized copy back on whatever connection object the test thread has now.

    Django keeps the copy that a serialized rollback restores on the thread's connection object.
    Once Playwright's sync API has run an event loop in the test thread, asgiref hands that
    thread a new connection object without the copy, and every later transactional test would
    start from the empty database the previous one left behind.
    """
    if "django_db_serialized_rollback" not in request.fixturenames:
        return
    request.getfixturevalue("django_db_setup")
    from django.db import connections

    for alias, contents in _SERIALIZED_CONTENTS.items():
        if getattr(connections[alias], "_test_serialized_contents", None) is None:
            connections[alias]._test_serialized_contents = contents


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
