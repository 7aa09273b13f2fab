"""Property-based conformance: schemathesis generates requests from `docs/platform-openapi.yaml`,
sends them signed to the running reference platform, and checks every answer against the spec
(status codes, content types, headers, bodies, no server errors)."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import requests
import schemathesis
import yaml
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

from refplatform import ReferencePlatform
from refplatform.routes import openapi_document

SPEC = Path(__file__).resolve().parents[2] / "docs" / "platform-openapi.yaml"
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_headers_conformance,
          response_schema_conformance]


def _operations(doc: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {(m.upper(), path): op for path, ops in doc["paths"].items() for m, op in ops.items()
            if m in ("get", "post", "put", "delete", "patch")}


def _resolve(doc: dict[str, Any], node: Any) -> Any:
    while isinstance(node, dict) and "$ref" in node:
        path = node["$ref"].lstrip("#/").split("/")
        node = doc
        for key in path:
            node = node[key]
    return node


def _json_schema(doc: dict[str, Any], holder: Any) -> dict[str, Any] | None:
    holder = _resolve(doc, holder)
    content = (holder or {}).get("content", {}).get("application/json")
    return _resolve(doc, content.get("schema")) if content else None


def _shape(doc: dict[str, Any], schema: dict[str, Any] | None) -> tuple[set[str], set[str]] | None:
    if not schema or "properties" not in schema:
        return None
    return set(schema["properties"]), set(schema.get("required", []))


def test_openapi_generated_from_the_models_matches_the_document() -> None:
    """The routes and the models shared with the client (`kiosk.platform.protocol`) generate an
    OpenAPI document; every operation, its id, and the members (and required members) of every
    JSON request and success body agree with docs/platform-openapi.yaml."""
    written = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
    generated = openapi_document()
    ours, theirs = _operations(generated), _operations(written)
    assert set(ours) == set(theirs)
    for key, op in ours.items():
        doc_op = theirs[key]
        assert op["operationId"] == doc_op["operationId"], key
        pairs = [(op.get("requestBody"), doc_op.get("requestBody"))]
        pairs += [(op["responses"][s], doc_op["responses"][s]) for s in op["responses"] if s.startswith("2")
                  and s in doc_op["responses"]]
        assert any(s.startswith("2") for s in doc_op["responses"]), key
        for mine, written_body in pairs:
            shape = _shape(generated, _json_schema(generated, mine))
            if shape is not None:
                assert shape == _shape(written, _json_schema(written, written_body)), (key, shape)
    for status in ("400", "401", "404"):
        problem = _resolve(written, written["components"]["responses"]["Problem"])
        assert "application/problem+json" in problem["content"], status


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
