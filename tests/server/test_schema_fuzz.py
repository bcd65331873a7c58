"""Schemathesis against the published schema (/openapi.json), on SQLite and PostgreSQL: every
operation, valid and invalid data, all of Schemathesis' checks (no 5xx, answers that match the
schema, invalid data refused, 405 with Allow …). Derandomised and bounded, so a run is the same
every time and takes seconds."""

from __future__ import annotations

import httpx
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.config import SchemathesisConfig
from schemathesis.generation import GenerationMode

EXAMPLES = 25  # per operation and mode (2 modes where it takes input), on each database


def test_schemathesis_finds_no_server_error_and_no_schema_violation(live, tokens, monkeypatch) -> None:  # noqa: ANN001
    # The server is HTTPS with its own CA; Schemathesis' requests trust it through the environment
    # (`check` below stays as it is: Hypothesis derives its fixed seed from its source).
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", live.ca_file)
    raw = httpx.get(f"{live.url}/openapi.json", trust_env=False, verify=live.verify).json()
    # Invalid data must get our refusals: 400 (with a message), 401 (no or a bad token) or 413 (more
    # than 1,000 events: the counter halves its batch on it, so it stays 413 for deployed counters).
    # A file chunk valid by the schema is still refused when its offset, length, size or hash is not
    # what the server holds or takes (409, 400, 413, 422), and a file nobody sent is not there (404):
    # docs/sync.md "Files".
    config = SchemathesisConfig.from_dict({"checks": {"negative_data_rejection": {
        "expected-statuses": [400, 401, 413]}}, "operations": [{"include-path-regex": "^/v1/files/", "checks": {
            "positive_data_acceptance": {"expected-statuses": [200, 400, 404, 409, 413, 422]}}}]})
    schema = schemathesis.openapi.from_dict(raw, config=config)
    headers = {"Authorization": f"Bearer {tokens['c0']}"}
    operations = [result.ok() for result in schema.get_all_operations()]
    assert {op.label for op in operations} >= {"POST /v1/push", "GET /v1/pull", "GET /v1/device", "GET /health"}
    for operation in operations:
        takes_input = bool(list(operation.iter_parameters())) or len(operation.body) > 0
        modes = (GenerationMode.POSITIVE, GenerationMode.NEGATIVE) if takes_input else (GenerationMode.POSITIVE,)
        for mode in modes:  # nothing to make invalid in a request that takes no input

            @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
                      suppress_health_check=list(HealthCheck), phases=[Phase.explicit, Phase.generate])
            @given(case=operation.as_strategy(generation_mode=mode))
            def check(case) -> None:  # noqa: ANN001
                case.call_and_validate(base_url=live.url, headers=headers)

            check()
