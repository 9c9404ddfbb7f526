from tests.review.conftest import (  # noqa: F401
    fake_checks,
    officer,
    review_setup,
    reviewer,
    second_reviewer,
    staff,
    superuser,
)
