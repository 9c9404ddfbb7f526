"""Privacy review: roles, the `PrivacyReviewTask` workflow task and the publishing guard.

Only a revision that a privacy reviewer approved (with the checklist, while no automated check
blocks) can make a survivor's case live, whatever the path: see `guard.py`.
"""
