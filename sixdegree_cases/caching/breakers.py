"""Circuit breakers for Redis: a hung or stopped Redis costs a request nothing once noticed.

Every client of one Redis server in a process (Django's cache, the page cache) shares one
`pybreaker.CircuitBreaker`: after `failures` calls in a row fail (each bounded by a socket
timeout of about 100 ms), the breaker opens and every call fails at once, without touching the
network, for `reset_after` seconds; then one call is let through to see whether Redis is back.
"""

import logging
import threading
from urllib.parse import urlsplit

import pybreaker

logger = logging.getLogger(__name__)

DEFAULT_FAILURES = 3
DEFAULT_RESET_AFTER = 5.0

_breakers = {}
_lock = threading.Lock()


def unavailable_errors():
    """The exceptions that mean "Redis cannot answer now" (never a bug in the caller)."""
    import redis

    return (redis.exceptions.RedisError, OSError, pybreaker.CircuitBreakerError)


def server_name(location):
    """host:port of a redis:// URL: a breaker's name, safe to log (no password, no db)."""
    parts = urlsplit(location)
    return f"{parts.hostname or 'localhost'}:{parts.port or 6379}"


class _LogStateChanges(pybreaker.CircuitBreakerListener):
    def state_change(self, cb, old_state, new_state):
        level = logging.WARNING if new_state.name == pybreaker.STATE_OPEN else logging.INFO
        logger.log(level, "Redis %s: circuit %s -> %s", cb.name, old_state.name, new_state.name)


def breaker_for(location, *, failures=DEFAULT_FAILURES, reset_after=DEFAULT_RESET_AFTER):
    """The process's breaker for the Redis server at `location` (created on first use)."""
    name = server_name(location)
    with _lock:
        breaker = _breakers.get(name)
        if breaker is None:
            errors = unavailable_errors()
            breaker = pybreaker.CircuitBreaker(
                fail_max=int(failures),
                reset_timeout=float(reset_after),
                # Only "cannot reach Redis" counts; anything else is the caller's own error.
                exclude=[lambda error: not isinstance(error, errors)],
                listeners=[_LogStateChanges()],
                name=name,
            )
            _breakers[name] = breaker
        return breaker


def guarded(breaker, func, *args, **kwargs):
    """`func(*args, **kwargs)` under `breaker`, without holding the breaker's lock meanwhile.

    `CircuitBreaker.call` keeps its lock for the whole call, which would queue every thread
    of a worker behind one slow call; its `calling()` context takes the lock only to read
    and update the state.
    """
    with breaker.calling():
        return func(*args, **kwargs)


def reset_breakers():
    """Forget every breaker (tests; a new process starts with none anyway)."""
    with _lock:
        _breakers.clear()


def log_failure(log, message, error):
    """Log a failed Redis call: in full when it really failed, briefly while the circuit is
    open (then every request fails at once, and the breaker has logged the state change)."""
    if isinstance(error, pybreaker.CircuitBreakerError):
        log.debug("%s: circuit open", message)
    else:
        log.warning("%s (%s)", message, type(error).__name__, exc_info=error)
