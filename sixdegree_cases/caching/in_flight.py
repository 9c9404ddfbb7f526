"""Renders in flight in this process: the first thread that needs one renders it, the others
wait for its result instead of rendering the same thing at the same time.

When a gift changes a case's figures, they are dropped and rendered anew; until they are
stored again, every view of every page that shows the case finds them missing. Rendered by
each such view, one confirmation cost tens of renders (`make bench` (m): most of the cached
pages' time went there). A thread that finds a render of the same figures, for the same
figures version and generation, already running here waits for it (bounded), then renders
itself only if that render failed.
"""

import threading

# A render reads PostgreSQL once and renders two small templates: far less than this.
WAIT_SECONDS = 1.0


class _Render:
    __slots__ = ("done", "result")

    def __init__(self):
        self.done = threading.Event()
        self.result = None


class InFlight:
    def __init__(self):
        self._lock = threading.Lock()
        self._renders = {}

    def claim(self, keys):
        """({key: render} this thread must do, {key: render} another thread is doing)."""
        mine, theirs = {}, {}
        with self._lock:
            for key in keys:
                render = self._renders.get(key)
                if render is None:
                    render = self._renders[key] = _Render()
                    mine[key] = render
                else:
                    theirs[key] = render
        return mine, theirs

    def finish(self, mine, results):
        """Publish what this thread rendered (`results`, by key; missing keys failed)."""
        with self._lock:
            for key in mine:
                self._renders.pop(key, None)
        for key, render in mine.items():
            render.result = results.get(key)
            render.done.set()

    @staticmethod
    def wait(render, timeout=WAIT_SECONDS):
        """The other thread's result, or None if it failed or took too long."""
        return render.result if render.done.wait(timeout) else None


figures_in_flight = InFlight()
