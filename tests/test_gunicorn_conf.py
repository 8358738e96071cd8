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
