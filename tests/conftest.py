import os

import pytest

# Playwright's sync API runs an event loop in the test thread; live_server tests touch the ORM
# from that same thread, which Django would otherwise refuse (SynchronousOnlyOperation).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


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
