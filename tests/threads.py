"""For tests of one app object serving several threads at once (a gunicorn gthread worker, MEMBERFLOW_THREADS)."""

import threading
from collections.abc import Callable
from typing import Any


def at_once(jobs: list[Callable[[], None]]) -> list[str]:
    """Each job in a thread of its own, all released together; what went wrong in them (the test app propagates
    what would be a 500, and a job's failed assertion counts too)."""
    barrier, failures = threading.Barrier(len(jobs)), []

    def run(job: Callable[[], None]) -> None:
        barrier.wait()
        try:
            job()
        except Exception as err:  # noqa: BLE001 - reported by the test, with the others
            failures.append(repr(err))

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return failures


class ClearedMeanwhile(dict[Any, Any]):
    """A worker's memo dict as another thread may leave it: cleared (its bound reached) right after this thread
    stored an entry, before this thread reads it back."""

    def __setitem__(self, key: Any, value: Any) -> None:
        super().__setitem__(key, value)
        self.clear()
