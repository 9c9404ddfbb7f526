"""Signals other apps connect to, so their own copies of a story are erased too."""

from django.dispatch import Signal

#: Sent inside the withdrawal's transaction, after the story is erased, once for each page that
#: held it (the case, its copies and aliases), with `page` (that blanked page), `user` and
#: `withdrawal` (its `CaseWithdrawal`). A receiver that keeps text of the case (a review report,
#: a notification log) erases it here; raising rolls the erasure back (the story still goes
#: offline, and the withdrawal can be run again).
consent_withdrawn = Signal()
