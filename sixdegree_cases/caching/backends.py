"""Where cached pages live: Redis in production, Django's cache for development and tests.

An entry is one opaque blob under one key. Each entry is also listed in *tag* sets ("all",
"page:<id>", "lists"), so that invalidating a tag deletes exactly the entries that show it.

A render that began before an invalidation must not be stored after it (it read the old
data). Every invalidation therefore bumps a *generation* counter; the middleware reads the
generation before the view runs (in the same round trip as the entry itself) and `store`
writes only if it is unchanged — atomically, in one Lua script, on Redis.
"""

import logging

from django.core.cache import caches
from django.utils.module_loading import import_string

from ..conf import get_setting
from .breakers import DEFAULT_FAILURES, DEFAULT_RESET_AFTER, breaker_for, guarded

logger = logging.getLogger(__name__)

GENERATION = "gen"
ALL = "all"
LISTS = "lists"
DEFAULT_PAGE_TYPES = ["sixdegree_cases.SurvivorCasePage", "sixdegree_cases.CaseIndexPage"]


def page_tag(page_id):
    return f"page:{page_id}"


def fragment_tag(page_id):
    """Fragments of a page's published content (`{% page_fragment %}`): not dropped by gifts."""
    return f"fragments:{page_id}"


class BasePageCache:
    """The interface the middleware and the invalidation functions use.

    `options` are the `SIXDEGREE_PAGE_CACHE` dict's other keys:

    - `TIMEOUT`: seconds an entry lives at most (600), should an invalidation ever be missed;
    - `KEY_PREFIX`: namespaces every key, so one Redis database can hold several caches;
    - `PAGE_TYPES`: the page models ("app_label.ModelName") whose anonymous views are cached;
    - `QUERY_PARAMS`: the only query parameters a cached URL may carry (others bypass);
    - `SKIP_PATHS`: path prefixes never looked up (static files, admin, API...);
    - `CDN_MAX_AGE`: seconds a CDN may keep a cached page (`s-maxage`); 0 keeps CDNs out.
    """

    def __init__(self, options):
        self.prefix = options.get("KEY_PREFIX", "sixdegree:pages:")
        self.timeout = int(options.get("TIMEOUT", 600))
        self.page_types = {name.lower() for name in options.get("PAGE_TYPES", DEFAULT_PAGE_TYPES)}
        self.query_params = frozenset(options.get("QUERY_PARAMS", ["page"]))
        self.skip_paths = tuple(options.get("SKIP_PATHS", ()))
        self.cdn_max_age = int(options.get("CDN_MAX_AGE", 0))

    def entry_key(self, digest):
        return f"{self.prefix}e:{digest}"

    def tag_key(self, tag):
        return f"{self.prefix}t:{tag}"

    @property
    def generation_key(self):
        return f"{self.prefix}{GENERATION}"

    def lookup(self, digest):
        """(entry blob or None, current generation as str) in one round trip."""
        raise NotImplementedError

    def store(self, digest, blob, tags, generation):
        """Store `blob` under `digest`, listed in `tags`, unless the generation moved on.

        Returns True when stored.
        """
        raise NotImplementedError

    def invalidate(self, tags):
        """Bump the generation, then delete every entry listed in `tags` (and the tag sets)."""
        raise NotImplementedError


# KEYS[1]: generation, KEYS[2]: entry, KEYS[3..]: tag sets.
# ARGV[1]: generation read before the view ran, ARGV[2]: blob, ARGV[3]: timeout (seconds).
STORE_SCRIPT = """
local current = redis.call('GET', KEYS[1]) or '0'
if current ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[2], ARGV[2], 'EX', ARGV[3])
for i = 3, #KEYS do
  redis.call('SADD', KEYS[i], KEYS[2])
  redis.call('EXPIRE', KEYS[i], ARGV[3])
end
return 1
"""

# KEYS[1]: generation, KEYS[2..]: tag sets. Deletes in chunks (Lua's unpack has a limit).
INVALIDATE_SCRIPT = """
redis.call('INCR', KEYS[1])
local deleted = 0
for i = 2, #KEYS do
  local members = redis.call('SMEMBERS', KEYS[i])
  for j = 1, #members, 500 do
    local chunk = {}
    for k = j, math.min(j + 499, #members) do chunk[#chunk + 1] = members[k] end
    deleted = deleted + redis.call('DEL', unpack(chunk))
  end
  redis.call('DEL', KEYS[i])
end
return deleted
"""


class RedisPageCache(BasePageCache):
    """Redis through redis-py (hiredis parses replies when installed).

    `LOCATION` is a redis:// URL; give the page cache its own database number or key prefix.
    When Redis is slow or down the site serves pages uncached rather than waiting: every call
    has a short socket timeout (`SOCKET_TIMEOUT`, 0.1 s), no retry, and goes through the
    process's circuit breaker for that server (`breakers`, shared with Django's cache), so a
    hung Redis costs nothing once noticed.

    An invalidation that fails (Redis away while a page was published or consent withdrawn)
    must not let the old page come back with Redis: this process then trusts no entry, and
    stores none, until it has dropped every entry (`ALL`) on the recovered server.
    """

    def __init__(self, options):
        super().__init__(options)
        self.url = options["LOCATION"]
        self.socket_timeout = float(options.get("SOCKET_TIMEOUT", 0.1))
        self.breaker = breaker_for(
            self.url,
            failures=options.get("BREAKER_FAILURES", DEFAULT_FAILURES),
            reset_after=options.get("BREAKER_RESET_AFTER", DEFAULT_RESET_AFTER),
        )
        self.invalidation_pending = False
        self._client = None
        self._store = None
        self._invalidate = None

    @property
    def client(self):
        # Created on first use, in the worker process (after gunicorn forks).
        if self._client is None:
            import redis
            from redis.backoff import NoBackoff
            from redis.retry import Retry

            self._client = redis.Redis.from_url(
                self.url,
                socket_timeout=self.socket_timeout,
                socket_connect_timeout=self.socket_timeout,
                health_check_interval=30,
                # redis-py retries with backoff by default: seconds per call on a hung server.
                retry=Retry(NoBackoff(), 0),
            )
            self._store = self._client.register_script(STORE_SCRIPT)
            self._invalidate = self._client.register_script(INVALIDATE_SCRIPT)
        return self._client

    def _catch_up(self):
        if self.invalidation_pending:
            guarded(self.breaker, self._run_invalidate, [ALL])
            self.invalidation_pending = False
            logger.info("Page cache: the invalidation missed while Redis was away is done")

    def lookup(self, digest):
        self._catch_up()
        blob, generation = guarded(
            self.breaker, self.client.mget, self.entry_key(digest), self.generation_key
        )
        return blob, (generation or b"0").decode()

    def store(self, digest, blob, tags, generation):
        self._catch_up()
        self.client  # noqa: B018 - registers the scripts
        keys = [self.generation_key, self.entry_key(digest)] + [self.tag_key(t) for t in tags]
        return bool(guarded(self.breaker, self._store, keys=keys, args=[generation, blob, self.timeout]))

    def invalidate(self, tags):
        try:
            self._catch_up()
            return guarded(self.breaker, self._run_invalidate, tags)
        except Exception:
            self.invalidation_pending = True
            raise

    def _run_invalidate(self, tags):
        self.client  # noqa: B018 - registers the scripts
        return self._invalidate(keys=[self.generation_key] + [self.tag_key(t) for t in tags])


class DjangoCachePageCache(BasePageCache):
    """Any Django cache (`CACHE_ALIAS`, "default" by default): for development and tests.

    Not atomic across processes: fine for one `runserver`, not for several app servers.
    """

    def __init__(self, options):
        super().__init__(options)
        self.alias = options.get("CACHE_ALIAS", "default")

    @property
    def cache(self):
        return caches[self.alias]

    def lookup(self, digest):
        found = self.cache.get_many([self.entry_key(digest), self.generation_key])
        return found.get(self.entry_key(digest)), str(found.get(self.generation_key, 0))

    def store(self, digest, blob, tags, generation):
        if str(self.cache.get(self.generation_key, 0)) != generation:
            return False
        key = self.entry_key(digest)
        self.cache.set(key, blob, self.timeout)
        for tag in tags:
            members = self.cache.get(self.tag_key(tag)) or set()
            members.add(key)
            self.cache.set(self.tag_key(tag), members, self.timeout)
        return True

    def invalidate(self, tags):
        try:
            self.cache.incr(self.generation_key)
        except ValueError:
            self.cache.set(self.generation_key, 1, None)
        deleted = 0
        for tag in tags:
            members = self.cache.get(self.tag_key(tag)) or set()
            self.cache.delete_many(list(members))
            self.cache.delete(self.tag_key(tag))
            deleted += len(members)
        return deleted


_backend = None
_configured = None


def get_page_cache():
    """The configured backend (one per process), or None when the page cache is off."""
    global _backend, _configured
    config = get_setting("SIXDEGREE_PAGE_CACHE")
    if config is not _configured:
        _configured = config
        _backend = None
        if config:
            options = dict(config)
            backend_class = import_string(options.pop("BACKEND"))
            _backend = backend_class(options)
    return _backend
