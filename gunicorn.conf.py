"""gunicorn settings for memberflow (scripts/serve; README: Serving). Every value comes from the environment."""

import gc
import os

bind = f"{os.environ.get('MEMBERFLOW_HOST', '127.0.0.1')}:{os.environ.get('MEMBERFLOW_PORT', '8000')}"
# sync workers, one request each: the work is CPU (workflow engine, PDFs) and short database transactions.
# (2 × CPUs) + 1 is gunicorn's rule of thumb; the database's connection limit caps it across all hosts.
workers = int(os.environ.get("MEMBERFLOW_WORKERS", 2 * (os.cpu_count() or 1) + 1))
# MEMBERFLOW_THREADS > 1 makes them gthread workers serving that many requests at once (reviewed for thread safety,
# tests/workflow/test_threaded_worker.py). Not the default: measured with scripts/load (issue 13, README: Running in
# production), threads raised p95 (one GIL per worker: a request waits behind its neighbours; 1.6–2.2× with 5
# workers × 4 threads) and gave no throughput gain that held on both databases.
threads = int(os.environ.get("MEMBERFLOW_THREADS", 1))
# a certificate PDF takes ~0.1 s, an upload of MEMBERFLOW_MAX_REQUEST_BYTES over a slow link longer: 60 s is generous
timeout = int(os.environ.get("MEMBERFLOW_WORKER_TIMEOUT", 60))
graceful_timeout = 30
# recycle workers now and then (bounded memory growth), jittered so that they do not restart together
max_requests = int(os.environ.get("MEMBERFLOW_MAX_REQUESTS", 2000))
max_requests_jitter = max_requests // 10
# the app object is built in each worker after the fork (database connections are never shared between workers)
preload_app = False
accesslog = "-"
errorlog = "-"
# only this many proxies' X-Forwarded-* are trusted, by the app (ProxyFix, MEMBERFLOW_PROXY_COUNT), not gunicorn
forwarded_allow_ips = "127.0.0.1,::1"
# the access line ends with the request id the app echoes (X-Request-Id): the same id as in the app's log lines
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(M)sms %({x-request-id}o)s'


def post_worker_init(worker: object) -> None:
    """The worker has built the app (settings, routes, the process catalog with its parsed specs, templates): move
    those objects out of the garbage collector's sight, so that its full passes, triggered every few requests by a
    page's allocations, walk only what requests made. Measured (issue 13): the application form with 5,000 firms,
    CPU p95 186 → 48 ms with a median of ~42 ms either way."""
    gc.collect()
    gc.freeze()


def worker_exit(server: object, worker: object) -> None:
    """Log how the worker's live workflow cache served it (app/workflow/live.py); scripts/load sums the lines."""
    from app.workflow.live import cache_report

    app = getattr(worker, "wsgi", None)
    line = cache_report(app) if app is not None and hasattr(app, "extensions") else None
    if line is not None:
        server.log.info("%s (worker %s)", line, getattr(worker, "pid", "?"))  # type: ignore[attr-defined]
