import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from sixdegree_cases.review.constants import CASE_OFFICERS, COMMUNICATIONS_STAFF, PRIVACY_REVIEWERS


def member_of(group_name, username):
    user = get_user_model().objects.create_user(username, f"{username}@example.org", "pw")
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture(autouse=True)
def review_setup(db):
    """Roles and workflow (migration 0002 made them; a flushed database needs them again)."""
    from sixdegree_cases.review.roles import ensure_review_setup

    return ensure_review_setup()


@pytest.fixture
def staff(review_setup):
    return member_of(COMMUNICATIONS_STAFF, "staff")


@pytest.fixture
def reviewer(review_setup):
    return member_of(PRIVACY_REVIEWERS, "reviewer")


@pytest.fixture
def second_reviewer(review_setup):
    return member_of(PRIVACY_REVIEWERS, "reviewer2")


@pytest.fixture
def officer(review_setup):
    return member_of(CASE_OFFICERS, "officer")


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser("root", "root@example.org", "pw")


@pytest.fixture
def fake_checks(monkeypatch):
    """Replace the automated checks with a controllable stand-in (their own tests live in
    tests/privacy); `fake_checks.block(...)` makes the next runs find a blocking finding."""
    from sixdegree_cases.privacy.report import Finding, PrivacyReport
    from sixdegree_cases.review import services

    class FakeChecks:
        def __init__(self):
            self.findings = []
            self.runs = []

        def block(self, masked="+62 8** **** *89", where="Milestone 1 · narrative"):
            self.findings.append(
                {
                    "check": "contacts",
                    "severity": "block",
                    "where": where,
                    "field": "story.0.narrative",
                    "masked": masked,
                    "message": "A phone number.",
                }
            )

        def clear(self):
            self.findings = []

        def __call__(self, revision):
            self.runs.append(revision.pk)
            findings = [Finding(**finding) for finding in self.findings]
            return PrivacyReport(findings=findings, checks_run=["contacts"], revision_id=revision.pk)

    fake = FakeChecks()
    monkeypatch.setattr(services, "run_checks", fake)
    return fake
