import pytest


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def case(case_index):
    """A live case with consent recorded: it passes every check."""
    from tests.factories import make_case_page
    from tests.privacy.helpers import record_consent

    page = make_case_page(case_index, title="Her story", slug="her-story")
    record_consent(page)
    return page
