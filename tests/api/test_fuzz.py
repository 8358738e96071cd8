"""Schemathesis over the OpenAPI document: generated requests, valid and invalid, never get a server error."""

import os
from collections import Counter

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.generation import GenerationMode

# Per operation and mode; 13 operations × 2 modes × 25 ≈ 650 requests, well under a minute on 2 CPUs.
# MEMBERFLOW_FUZZ_EXAMPLES=200 runs a deeper search.
EXAMPLES = int(os.environ.get("MEMBERFLOW_FUZZ_EXAMPLES", 25))


@pytest.fixture
def fuzz_target(app, world, submitted, basic, monkeypatch):
    """The app answering as it does in production (an uncaught error is a 500, not a raised exception),
    with one application on file so that some generated ids name real instances and tasks."""
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)
    submitted()
    token = basic(world.applicant).environ_base["HTTP_AUTHORIZATION"]
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app), {"Authorization": token}


def test_no_generated_request_gets_a_server_error(fuzz_target):
    schema, headers = fuzz_target
    statuses: Counter[int] = Counter()
    server_errors: list[str] = []

    for result in schema.get_all_operations():
        operation = result.ok()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(
                max_examples=EXAMPLES,
                deadline=None,
                database=None,
                derandomize=True,
                phases=[Phase.explicit, Phase.generate],
                suppress_health_check=list(HealthCheck),
            )
            def send(case: schemathesis.Case) -> None:
                try:  # schemathesis re-raises the exception behind a 500
                    status = case.call(headers=headers).status_code
                except Exception as exc:  # noqa: BLE001  (any exception is the server error being counted)
                    status, error = 500, type(exc).__name__
                else:
                    error = str(status)
                statuses[status] += 1
                if status >= 500:
                    server_errors.append(f"{case.method} {case.formatted_path} {case.query} → {error}")

            send()

    print(f"schemathesis: {sum(statuses.values())} requests, statuses {dict(sorted(statuses.items()))}")
    assert not server_errors, "\n".join(server_errors[:20])
