"""Property-based conformance: schemathesis generates requests from `docs/platform-openapi.yaml`,
sends them signed to the running reference platform, and checks every answer against the spec
(status codes, content types, headers, bodies, no server errors)."""
from __future__ import annotations

from pathlib import Path

import requests
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from platform_fixtures import Kiosk
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from kiosk.platform import ReferencePlatform

SPEC = Path(__file__).resolve().parents[2] / "docs" / "platform-openapi.yaml"
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_headers_conformance,
          response_schema_conformance]


def test_spec_lists_every_route_of_the_reference_platform() -> None:
    from kiosk.platform.server import _Handler

    schema = schemathesis.openapi.from_path(str(SPEC))
    documented = {(op.method.upper(), op.path) for op in (r.ok() for r in schema.get_all_operations())}
    assert len(documented) == len(_Handler.ROUTES)
    for method, pattern, _name, _auth in _Handler.ROUTES:
        assert any(m == method and pattern.match(_example(p)) for m, p in documented), pattern.pattern


def _example(path: str) -> str:
    return path.replace("{case_no}", "LH2026-000123").replace("{doc_id}", "d1").replace(
        "{party_id}", "p1").replace("{package_id}", "P-001").replace("{n}", "0")


def test_platform_conforms_to_its_openapi_spec(platform: ReferencePlatform, kiosk: Kiosk) -> None:
    schema = schemathesis.openapi.from_path(str(SPEC))
    session = requests.Session()
    session.auth = kiosk.client.auth()
    operations = [r.ok() for r in schema.get_all_operations()]
    strategy = st.one_of(*[op.as_strategy() for op in operations])
    seen: set[str] = set()

    @settings(max_examples=100, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    @given(case=strategy)
    def run(case: schemathesis.Case) -> None:
        seen.add(case.operation.label)
        response = case.call(base_url=platform.url, session=session, timeout=10)
        case.validate_response(response, checks=CHECKS)

    run()
    session.close()
    assert len(seen) >= len(operations) // 2  # the examples reached most operations
