"""Signals other apps connect to, so their own copies of a story are erased too."""

from django.dispatch import Signal

#: Sent inside the withdrawal's transaction, after the story is erased, with `page` (the blanked
#: case), `user` and `withdrawal` (the `CaseWithdrawal`). A receiver that keeps text of the case
#: (a review report, a notification log) erases it here; raising rolls the withdrawal back.
consent_withdrawn = Signal()
