"""Provider slots: how many of a process's threads may wait on a payment provider at once.

A gunicorn worker has few threads (8) and pages need them. A provider that stalls holds every
thread that calls it for its whole timeout, so calls that go out to a provider take a slot
first: at most `size` per process (`SIXDEGREE_STRIPE_CONCURRENCY` for Stripe). When every slot
is taken the call is refused at once with `ProviderBusy` — "busy, try again in a moment", a
4xx with `Retry-After` — and the thread goes back to serving pages.

The giving views take the slot *before* they create anything, and hold it until the provider
has answered: a refused start leaves no donation behind. A thread that holds a slot may call
the provider again (the provider glue takes the same slot around each call, for callers that
did not) without taking a second one.
"""

import threading
from contextlib import contextmanager

from django.utils.translation import gettext_lazy
from payments import PaymentError

BUSY = gettext_lazy(
    "Many gifts are being started at this moment. Nothing was charged; please try again in a few seconds."
)
# Seconds a refused client is told to wait: a stalled provider's call ends within its timeout.
RETRY_AFTER = 5


class ProviderBusy(PaymentError):
    """Every slot of this process is waiting on the provider: try again in a moment."""

    def __init__(self):
        super().__init__(str(BUSY), code=429)


class ProviderSlots:
    """A per-process bulkhead: `size()` slots, taken without waiting, re-entrant per thread."""

    def __init__(self, size):
        self._size = size  # a callable, read when the slots are first used (settings may change)
        self._semaphore = None
        self._lock = threading.Lock()
        self._held = threading.local()

    def _slots(self):
        with self._lock:
            if self._semaphore is None:
                self._semaphore = threading.BoundedSemaphore(max(1, int(self._size())))
            return self._semaphore

    def reset(self):
        """Forget the slots (tests, or after changing the setting); calls in flight keep theirs."""
        with self._lock:
            self._semaphore = None

    @contextmanager
    def held(self):
        """Hold a slot for the block, or raise `ProviderBusy` at once when none is free."""
        depth = getattr(self._held, "depth", 0)
        if depth:
            self._held.depth = depth + 1
            try:
                yield
            finally:
                self._held.depth = depth
            return
        slots = self._slots()
        if not slots.acquire(blocking=False):
            raise ProviderBusy()
        self._held.depth = 1
        try:
            yield
        finally:
            self._held.depth = 0
            slots.release()
