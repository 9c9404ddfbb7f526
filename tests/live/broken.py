"""A privacy check that always fails to run (a broken dependency)."""

from sixdegree_cases.privacy.checks.base import PrivacyCheck


class BrokenCheck(PrivacyCheck):
    id = "broken"
    label = "Broken"

    def check(self, context):
        raise RuntimeError("the detector's model file is missing")
