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
NO_HOLES = "."
LISTS = "lists"
DEFAULT_PAGE_TYPES = ["sixdegree_cases.SurvivorCasePage", "sixdegree_cases.CaseIndexPage"]


def page_tag(page_id):
    return f"page:{page_id}"


def fragment_tag(page_id):
    """Fragments of a page's published content (`{% page_fragment %}`): not dropped by gifts."""
    return f"fragments:{page_id}"


def text_value(value):
    if value is None:
        return "0"
    return value.decode() if isinstance(value, bytes) else str(value)


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

    # --- Figures: the holes of cached pages (see `holes`) ------------------------------------
    #
    # A page entry is stored with the list of its holes (`holes_key`); each hole is filled from
    # a *figures* entry (`figures_key`: one case's funding block in one language), which a
    # confirmation rewrites without touching the page. Each case has a *figures version*,
    # moved on by every change of its totals: figures rendered before the change are never
    # stored after it (the page generation's check, per case).

    def holes_key(self, digest):
        return f"{self.prefix}x:{digest}"

    def figures_key(self, case_id, kind, language):
        return f"{self.prefix}f:{int(case_id)}:{kind}:{language}"

    def figures_version_key(self, case_id):
        return f"{self.prefix}fv:{int(case_id)}"

    def figures_set_key(self, case_id):
        return f"{self.prefix}fs:{int(case_id)}"

    def lookup_page(self, digest):
        """(entry blob or None, generation, holes) in one round trip.

        `holes` lists, for each hole of the entry in order, (figures blob or None, figures
        version); None when the entry is missing or its hole list is lost.
        """
        raise NotImplementedError

    def store_page(self, digest, blob, holes, tags, generation):
        """`store` for a page with holes: `holes` are (case_id, kind, language) in order."""
        raise NotImplementedError

    def store_figures(self, case_id, blobs, generation, version):
        """Store {(kind, language): blob} of one case unless the generation or the case's
        figures version moved on. Returns True when stored."""
        raise NotImplementedError

    def lookup_figures(self, case_id, kind, language):
        """(figures blob or None, generation, figures version) in one round trip."""
        keys = [self.figures_key(case_id, kind, language), self.generation_key]
        keys.append(self.figures_version_key(case_id))
        blob, generation, version = self.read_keys(keys)
        return blob, text_value(generation), text_value(version)

    def read_keys(self, keys):
        """The values of `keys` (full keys), None for those missing, in one round trip."""
        raise NotImplementedError

    @property
    def epoch_key(self):
        """A random value set once per life of the cache's data (`add_key`): generations
        start again after the data is lost, epochs do not repeat (`sites`)."""
        return f"{self.prefix}epoch"

    def add_key(self, key, value):
        """Set `key` (a full key) to `value`, with no expiry, unless it is set already."""
        raise NotImplementedError

    def begin_figures_change(self, case_id):
        """A case's totals changed: move its figures version on and drop its figures.

        Returns (new version, generation, [(kind, language)] that were dropped).
        """
        raise NotImplementedError

    def _hole_list(self, holes):
        keys = []
        for case_id, kind, language in holes:
            keys += [self.figures_key(case_id, kind, language), self.figures_version_key(case_id)]
        return " ".join([NO_HOLES, *keys])

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


# KEYS[1]: entry, KEYS[2]: its hole list, KEYS[3]: generation. The hole list names the figures
# entries and figures versions to read (one Redis, not a cluster: keys read from a value).
LOOKUP_PAGE_SCRIPT = """
local entry = redis.call('GET', KEYS[1])
local generation = redis.call('GET', KEYS[3]) or '0'
if not entry then return {false, generation} end
local holes = redis.call('GET', KEYS[2])
if not holes then return {false, generation} end
local out = {entry, generation}
for key in string.gmatch(holes, '%S+') do
  if key ~= '.' then out[#out + 1] = redis.call('GET', key) or false end
end
return out
"""

# KEYS[1]: generation, KEYS[2]: entry, KEYS[3]: hole list, KEYS[4..]: tag sets.
# ARGV: generation read before the view ran, blob, timeout, hole list.
STORE_PAGE_SCRIPT = """
local current = redis.call('GET', KEYS[1]) or '0'
if current ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[2], ARGV[2], 'EX', ARGV[3])
redis.call('SET', KEYS[3], ARGV[4], 'EX', ARGV[3])
for i = 4, #KEYS do
  redis.call('SADD', KEYS[i], KEYS[2], KEYS[3])
  redis.call('EXPIRE', KEYS[i], ARGV[3])
end
return 1
"""

# KEYS[1]: generation, KEYS[2]: the case's figures version, KEYS[3]: its figures set,
# KEYS[4]: the "all" tag set, KEYS[5..]: figures entries.
# ARGV[1]: generation, ARGV[2]: figures version (both read before the totals were), ARGV[3]:
# timeout, ARGV[4..]: blobs.
STORE_FIGURES_SCRIPT = """
if (redis.call('GET', KEYS[1]) or '0') ~= ARGV[1] then return 0 end
if (redis.call('GET', KEYS[2]) or '0') ~= ARGV[2] then return 0 end
for i = 5, #KEYS do
  redis.call('SET', KEYS[i], ARGV[i - 1], 'EX', ARGV[3])
  redis.call('SADD', KEYS[3], KEYS[i])
  redis.call('SADD', KEYS[4], KEYS[i])
end
redis.call('EXPIRE', KEYS[3], ARGV[3])
redis.call('EXPIRE', KEYS[4], ARGV[3])
return 1
"""

# KEYS[1]: the case's figures version, KEYS[2]: its figures set, KEYS[3]: generation.
BEGIN_FIGURES_SCRIPT = """
local version = redis.call('INCR', KEYS[1])
local members = redis.call('SMEMBERS', KEYS[2])
if #members > 0 then redis.call('DEL', unpack(members)) end
redis.call('DEL', KEYS[2])
local out = {version, redis.call('GET', KEYS[3]) or '0'}
for i = 1, #members do out[#out + 1] = members[i] end
return out
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
            self._lookup_page = self._client.register_script(LOOKUP_PAGE_SCRIPT)
            self._store_page = self._client.register_script(STORE_PAGE_SCRIPT)
            self._store_figures = self._client.register_script(STORE_FIGURES_SCRIPT)
            self._begin_figures = self._client.register_script(BEGIN_FIGURES_SCRIPT)
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

    def lookup_page(self, digest):
        self._catch_up()
        self.client  # noqa: B018 - registers the scripts
        keys = [self.entry_key(digest), self.holes_key(digest), self.generation_key]
        reply = guarded(self.breaker, self._lookup_page, keys=keys)
        generation = (reply[1] or b"0").decode()
        if reply[0] is None:
            return None, generation, None
        found = reply[2:]
        holes = [(found[i], (found[i + 1] or b"0").decode()) for i in range(0, len(found) - 1, 2)]
        return reply[0], generation, holes

    def read_keys(self, keys):
        self._catch_up()
        return guarded(self.breaker, self.client.mget, *keys)

    def add_key(self, key, value):
        return guarded(self.breaker, self.client.set, key, value, nx=True)

    def store_page(self, digest, blob, holes, tags, generation):
        self._catch_up()
        self.client  # noqa: B018 - registers the scripts
        keys = [self.generation_key, self.entry_key(digest), self.holes_key(digest)]
        keys += [self.tag_key(t) for t in tags]
        args = [generation, blob, self.timeout, self._hole_list(holes)]
        return bool(guarded(self.breaker, self._store_page, keys=keys, args=args))

    def store_figures(self, case_id, blobs, generation, version):
        self._catch_up()
        self.client  # noqa: B018 - registers the scripts
        keys = [
            self.generation_key,
            self.figures_version_key(case_id),
            self.figures_set_key(case_id),
            self.tag_key(ALL),
        ]
        keys += [self.figures_key(case_id, kind, language) for kind, language in blobs]
        args = [generation, version, self.timeout, *blobs.values()]
        return bool(guarded(self.breaker, self._store_figures, keys=keys, args=args))

    def begin_figures_change(self, case_id):
        try:
            self._catch_up()
            self.client  # noqa: B018 - registers the scripts
            keys = [self.figures_version_key(case_id), self.figures_set_key(case_id), self.generation_key]
            reply = guarded(self.breaker, self._begin_figures, keys=keys)
        except Exception:
            # The old figures may still be in Redis: trust nothing until all is dropped.
            self.invalidation_pending = True
            raise
        prefix = self.figures_key(case_id, "", "")[: -len("::")] + ":"
        dropped = []
        for key in reply[2:]:
            kind, _sep, language = key.decode()[len(prefix) :].partition(":")
            dropped.append((kind, language))
        return str(reply[0]), (reply[1] or b"0").decode(), dropped

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

    def lookup_page(self, digest):
        entry_key, holes_key = self.entry_key(digest), self.holes_key(digest)
        found = self.cache.get_many([entry_key, holes_key, self.generation_key])
        generation = str(found.get(self.generation_key, 0))
        if found.get(entry_key) is None or found.get(holes_key) is None:
            return None, generation, None
        keys = found[holes_key].split()[1:]
        values = self.cache.get_many(keys)
        holes = [(values.get(keys[i]), str(values.get(keys[i + 1], 0))) for i in range(0, len(keys) - 1, 2)]
        return found[entry_key], generation, holes

    def read_keys(self, keys):
        found = self.cache.get_many(keys)
        return [found.get(key) for key in keys]

    def add_key(self, key, value):
        return self.cache.add(key, value, None)

    def store_page(self, digest, blob, holes, tags, generation):
        if not self.store(digest, blob, tags, generation):
            return False
        self.cache.set(self.holes_key(digest), self._hole_list(holes), self.timeout)
        for tag in tags:
            members = self.cache.get(self.tag_key(tag)) or set()
            members.add(self.holes_key(digest))
            self.cache.set(self.tag_key(tag), members, self.timeout)
        return True

    def store_figures(self, case_id, blobs, generation, version):
        current = self.cache.get_many([self.generation_key, self.figures_version_key(case_id)])
        if str(current.get(self.generation_key, 0)) != generation:
            return False
        if str(current.get(self.figures_version_key(case_id), 0)) != version:
            return False
        keys = {self.figures_key(case_id, kind, language): blob for (kind, language), blob in blobs.items()}
        self.cache.set_many(keys, self.timeout)
        for set_key in (self.figures_set_key(case_id), self.tag_key(ALL)):
            members = self.cache.get(set_key) or set()
            members.update(keys)
            self.cache.set(set_key, members, self.timeout)
        return True

    def begin_figures_change(self, case_id):
        version_key = self.figures_version_key(case_id)
        try:
            version = self.cache.incr(version_key)
        except ValueError:
            self.cache.set(version_key, 1, None)
            version = 1
        members = self.cache.get(self.figures_set_key(case_id)) or set()
        self.cache.delete_many([*members, self.figures_set_key(case_id)])
        prefix = self.figures_key(case_id, "", "")[: -len("::")] + ":"
        dropped = [tuple(key[len(prefix) :].split(":", 1)) for key in sorted(members)]
        return str(version), str(self.cache.get(self.generation_key, 0)), dropped

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
