import pytest

from tests.review.conftest import member_of


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Each test stores its images in its own folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def review_setup(db):
    from sixdegree_cases.review.roles import ensure_review_setup

    return ensure_review_setup()


@pytest.fixture
def case(case_index, review_setup):
    """A live case with consent recorded: it passes every check today."""
    from tests.factories import make_case_page
    from tests.privacy.helpers import record_consent

    page = make_case_page(case_index, title="Her story", slug="her-story")
    record_consent(page)
    return page


@pytest.fixture
def reviewer(review_setup):
    from sixdegree_cases.review.constants import PRIVACY_REVIEWERS

    return member_of(PRIVACY_REVIEWERS, "reviewer")


@pytest.fixture
def officer(review_setup):
    from sixdegree_cases.review.constants import CASE_OFFICERS

    return member_of(CASE_OFFICERS, "officer")


@pytest.fixture
def staff(review_setup):
    from sixdegree_cases.review.constants import COMMUNICATIONS_STAFF

    return member_of(COMMUNICATIONS_STAFF, "staff")
