"""A Redis cache whose outage slows pages down instead of taking them down.

Everything Bastide keeps in the cache can be rebuilt from the database (the content version,
the hostnames, Wagtail's site root paths, the page entries), so a cache that cannot be
reached is treated as a cache that holds nothing: reads miss, writes are dropped. A circuit
breaker stops each process from trying again for RETRY_SECONDS after a failure, so a dead
Redis costs one connect timeout per process and period, not one per request; the outage is
logged once, when it starts, and once more when the cache answers again.

Two things a plain miss would get wrong:
- A write that never expires (the content version) or a delete (an invalidation) that was
  dropped would leave a stale value behind if Redis was only unreachable, not restarted: the
  keys are remembered and deleted once Redis answers again.
- A counter (the contact form's rate limit) that always misses limits nothing: keys under
  LOCAL_FALLBACK_PREFIXES go to a process-local cache while Redis is away, so the limit
  holds per process.
"""

import logging
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import OutOfMemoryError, ReadOnlyError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

# Down, slow, full (maxmemory with noeviction) or a replica after a failover: the same
# answer, the database serves. Wrong commands or data still raise.
UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError, OutOfMemoryError, ReadOnlyError)
RETRY_SECONDS = 10.0
# Socket timeouts short enough that the one request that tries a dead Redis stays usable.
DEFAULT_OPTIONS = {"socket_connect_timeout": 0.25, "socket_timeout": 0.5}
LOST_KEYS_MAX = 1_000

_FAILED = object()


class _Breaker:
    """One per process and cache location: Django builds a backend per thread."""

    def __init__(self):
        self.lock = threading.Lock()
        self.down_since = None
        self.retry_at = 0.0
        self.lost = set()

    def is_open(self):
        return self.down_since is not None and time.monotonic() < self.retry_at

    def trip(self, exc):
        now = time.monotonic()
        with self.lock:
            first = self.down_since is None
            if first:
                self.down_since = now
            self.retry_at = now + RETRY_SECONDS
        if first:
            # The exception's class only: its text may carry the server's address.
            logger.error(
                "Cache unreachable (%s): pages are served from the database; next try in %d s",
                type(exc).__name__,
                RETRY_SECONDS,
            )

    def close(self):
        with self.lock:
            if self.down_since is None:
                return
            down_for = time.monotonic() - self.down_since
            self.down_since = None
        logger.warning("Cache reachable again after %d s", down_for)


_breakers = {}
_breakers_lock = threading.Lock()


def breaker_for(location):
    with _breakers_lock:
        return _breakers.setdefault(location, _Breaker())


def reset_breakers():
    """Forget every outage (tests)."""
    with _breakers_lock:
        _breakers.clear()


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        params = dict(params)
        self.local_prefixes = tuple(params.pop("LOCAL_FALLBACK_PREFIXES", ()))
        params["OPTIONS"] = {**DEFAULT_OPTIONS, **params.get("OPTIONS", {})}
        super().__init__(server, params)
        self.breaker = breaker_for(server)
        self.local = LocMemCache(
            f"bastide-cache-fallback:{server}", {"TIMEOUT": params.get("TIMEOUT", 300)}
        )

    @property
    def available(self):
        """False while the breaker is open: callers may skip work that only fills the cache."""
        return not self.breaker.is_open()

    def _call(self, method, *args, **kwargs):
        breaker = self.breaker
        if breaker.is_open():
            return _FAILED
        try:
            if breaker.down_since is not None and breaker.lost:
                # First undo what was missed, so that this very call reads no stale value.
                # Already made keys: the client, not the backend, which would prefix them again.
                missed = list(breaker.lost)
                self._cache.delete_many(missed)
                breaker.lost.difference_update(missed)
            result = method(*args, **kwargs)
        except UNREACHABLE as exc:
            breaker.trip(exc)
            return _FAILED
        if breaker.down_since is not None:
            breaker.close()
        return result

    def _local_for(self, key):
        return self.local if self.local_prefixes and key.startswith(self.local_prefixes) else None

    def _lose(self, key):
        if len(self.breaker.lost) < LOST_KEYS_MAX:
            self.breaker.lost.add(key)

    def get(self, key, default=None, version=None):
        result = self._call(super().get, key, default, version=version)
        if result is _FAILED:
            local = self._local_for(key)
            return local.get(key, default, version=version) if local else default
        return result

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        result = self._call(super().add, key, value, timeout, version=version)
        if result is _FAILED:
            local = self._local_for(key)
            return local.add(key, value, timeout, version=version) if local else False
        return result

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        result = self._call(super().set, key, value, timeout, version=version)
        if result is _FAILED:
            local = self._local_for(key)
            if local:
                local.set(key, value, timeout, version=version)
            elif self.get_backend_timeout(timeout) is None:
                self._lose(self.make_and_validate_key(key, version=version))

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        result = self._call(super().touch, key, timeout, version=version)
        return False if result is _FAILED else result

    def delete(self, key, version=None):
        result = self._call(super().delete, key, version=version)
        if result is _FAILED:
            local = self._local_for(key)
            if local:
                return local.delete(key, version=version)
            self._lose(self.make_and_validate_key(key, version=version))
            return False
        return result

    def get_many(self, keys, version=None):
        result = self._call(super().get_many, keys, version=version)
        return {} if result is _FAILED else result

    def has_key(self, key, version=None):
        result = self._call(super().has_key, key, version=version)
        if result is _FAILED:
            local = self._local_for(key)
            return local.has_key(key, version=version) if local else False
        return result

    def incr(self, key, delta=1, version=None):
        result = self._call(super().incr, key, delta, version=version)
        if result is _FAILED:
            local = self._local_for(key)
            if local:
                return local.incr(key, delta, version=version)
            raise ValueError(f"Key '{key}' not found")  # what a miss gives
        return result

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        result = self._call(super().set_many, data, timeout, version=version)
        # Django's contract: the keys that could not be stored.
        return list(data) if result is _FAILED else result

    def delete_many(self, keys, version=None):
        result = self._call(super().delete_many, keys, version=version)
        if result is _FAILED:
            for key in keys:
                self._lose(self.make_and_validate_key(key, version=version))

    def clear(self):
        result = self._call(super().clear)
        self.local.clear()
        return False if result is _FAILED else result
