"""gunicorn.conf.py: what each worker does once it has built the app (issue 13)."""

import gc
import runpy
from pathlib import Path

CONF = Path(__file__).resolve().parent.parent / "gunicorn.conf.py"


def test_a_worker_freezes_the_built_app_out_of_the_garbage_collectors_passes():
    hooks = runpy.run_path(str(CONF))
    gc.unfreeze()
    try:
        hooks["post_worker_init"](object())
        assert gc.get_freeze_count() > 0  # the objects of the built app: full collections no longer walk them
    finally:
        gc.unfreeze()


def test_an_exiting_worker_logs_its_workflow_cache_and_the_load_script_sums_the_lines(app):
    from app.workflow.live import live_workflows, summed_cache_reports

    cache = live_workflows()
    cache.hits, cache.misses, cache.stale = 7, 5, 2
    logged = []

    class Log:
        def info(self, fmt, *args):
            logged.append(fmt % args)

    class Server:
        log = Log()

    class Worker:
        wsgi = app
        pid = 4242

    hooks = runpy.run_path(str(CONF))
    hooks["worker_exit"](Server(), Worker())
    assert logged == ["live workflow cache: 7 hits, 5 misses (2 stale) (worker 4242)"]
    log = "[INFO] Booting worker\n" + logged[0] + "\n" + logged[0].replace("7 hits", "3 hits") + "\n"
    assert summed_cache_reports(log) == (10, 10, 4)
