"""The HTTP surface: one FastAPI route per operation of `docs/platform-openapi.yaml`, each a thin
adapter from the request to a handler of its concern (enrol, staff, cases, uploads, receipts).

Handlers are plain functions run in the worker threads (SQLite, PBKDF2, file I/O and
verification block). Bodies are read and their hash checked against the signed header before
they are parsed; parse and validation errors, unknown paths and methods are all problem+json.
"""
from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import ClientDisconnect
from starlette.responses import JSONResponse, Response

from kiosk.platform.protocol import (
    EMPTY_SHA256,
    Enrolment,
    EnrolRequest,
    Health,
    HeartbeatAnswer,
    PartAnswer,
    ProblemBody,
    ReceiptBody,
    RemoteConfig,
    Renewal,
    StaffLogin,
    StaffLoginRequest,
    UploadRequest,
    UploadStatus,
    format_date,
    utc_now,
)
from refplatform import cases, enrol, longterm, receipts, staff, uploads
from refplatform.auth import Caller, authenticate
from refplatform.problems import Problem, problem_response

if TYPE_CHECKING:
    from refplatform.server import ReferencePlatform

log = logging.getLogger(__name__)

MAX_JSON_BYTES = 1 << 20
_PROBLEM: dict[str, Any] = {"content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/ProblemBody"}}},
            "description": "an error the kiosk can act on (see `code`)"}


def _target(request: Request) -> str:
    """The path and query as sent: what the device signed."""
    raw = request.scope.get("raw_path") or request.url.path.encode()
    qs = request.scope.get("query_string", b"")
    return raw.decode("latin-1") + ("?" + qs.decode("latin-1") if qs else "")


def _length(request: Request) -> int | None:
    raw = request.headers.get("content-length")
    if raw is None:
        if request.headers.get("transfer-encoding"):
            return None
        return 0
    try:
        n = int(raw)
    except ValueError:
        raise Problem(400, "bad_request", "Content-Length 无效", close=True) from None
    if n < 0:
        raise Problem(400, "bad_request", "Content-Length 无效", close=True)
    return n


async def _small_body(request: Request) -> bytes:
    n = _length(request)
    if n is None:
        raise Problem(411, "length_required", "需要 Content-Length", "chunked bodies are not accepted", close=True)
    if n > MAX_JSON_BYTES:
        raise Problem(413, "body_too_large", "请求体过大", f"{n} > {MAX_JSON_BYTES} bytes", close=True)
    return await request.body()


def _json(data: bytes) -> Any:
    try:
        return json.loads(data.decode("utf-8")) if data else {}
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise Problem(400, "bad_json", "请求体不是有效的JSON", str(exc)) from None


def _model(model: type[BaseModel], data: bytes) -> Any:
    obj = _json(data)
    if not isinstance(obj, dict):
        raise Problem(400, "bad_request", "请求体必须是JSON对象")
    try:
        return model.model_validate(obj)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(x) for x in first.get("loc", ()))
        raise Problem(400, "bad_request", "请求内容不完整或格式不正确", f"{where}: {first.get('msg')}") from None


def _pf(request: Request) -> ReferencePlatform:
    return request.app.state.pf  # type: ignore[no-any-return]


async def _caller(request: Request, *, allow_expired: bool = False) -> Caller:
    return await run_in_threadpool(authenticate, _pf(request), request.method, _target(request),
                                   request.headers, allow_expired=allow_expired)


async def _signed_body(request: Request, caller: Caller) -> bytes:
    data = await _small_body(request)
    if hashlib.sha256(data).hexdigest() != caller.body_sha256:
        raise Problem(400, "hash_mismatch", "请求体与签名不符", "body sha256 differs from the signed header")
    return data


def _out(obj: Any, status: int = 200, headers: dict[str, str] | None = None) -> JSONResponse:
    if isinstance(obj, BaseModel):
        obj = obj.model_dump(exclude_none=True)
    return JSONResponse(obj, status_code=status, headers=headers)


def _body(model: type[BaseModel] | None) -> dict[str, Any]:
    schema: dict[str, Any] = {"$ref": f"#/components/schemas/{model.__name__}"} if model else {"type": "object"}
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": schema}}}}


def openapi_document() -> dict[str, Any]:
    """The OpenAPI document the routes and the shared models generate (checked against
    `docs/platform-openapi.yaml` by the tests)."""
    doc = build_app(None).openapi()
    schemas = doc.setdefault("components", {}).setdefault("schemas", {})
    for model in (EnrolRequest, StaffLoginRequest, UploadRequest, ProblemBody):
        generated = model.model_json_schema(ref_template="#/components/schemas/{model}")
        schemas.update(generated.pop("$defs", {}))
        schemas[model.__name__] = generated
    return doc


def build_app(pf: ReferencePlatform | None) -> FastAPI:
    app = FastAPI(title="bdc-kiosk platform API (reference platform)", version="1.0.0", openapi_url=None,
                  docs_url=None, redoc_url=None, separate_input_output_schemas=False)
    app.state.pf = pf
    _handlers(app)
    longterm.add_routes(app)
    route = app.add_api_route

    async def health() -> JSONResponse:
        return _out(Health(status="ok", server_time=format_date(utc_now()), version="1"))

    async def enrol_device(request: Request) -> JSONResponse:
        body = _model(EnrolRequest, await _small_body(request))
        status, out = await run_in_threadpool(enrol.enrol, _pf(request), body)
        return _out(out, status)

    async def renew(request: Request) -> JSONResponse:
        caller = await _caller(request, allow_expired=True)
        await _signed_body(request, caller)
        return _out(await run_in_threadpool(enrol.renew, _pf(request), caller))

    async def heartbeat(request: Request) -> JSONResponse:
        caller = await _caller(request)
        body = _json(await _signed_body(request, caller))
        return _out(await run_in_threadpool(enrol.heartbeat, _pf(request), caller, body))

    async def config(request: Request) -> JSONResponse:
        return _out(enrol.remote_config(await _caller(request)))

    async def staff_login(request: Request) -> JSONResponse:
        caller = await _caller(request)
        body = _model(StaffLoginRequest, await _signed_body(request, caller))
        return _out(await run_in_threadpool(staff.login, _pf(request), caller, body))

    async def case_by_qr(request: Request) -> JSONResponse:
        caller = await _caller(request)
        qr = request.query_params.get("qr", "")
        return _out(await run_in_threadpool(cases.case_by_qr, _pf(request), caller, qr, request.headers))

    async def case(request: Request, case_no: str) -> JSONResponse:
        caller = await _caller(request)
        return _out(await run_in_threadpool(cases.case_by_no, _pf(request), caller, case_no, request.headers))

    def _file(fn: Callable[..., tuple[bytes, str, dict[str, str]]]) -> Callable[..., Any]:
        async def endpoint(request: Request) -> Response:
            caller = await _caller(request)
            p = request.path_params
            data, ctype, headers = await run_in_threadpool(fn, _pf(request), caller, p["case_no"],
                                                           p.get("doc_id") or p["party_id"], request.headers)
            return Response(data, media_type=ctype, headers=headers)
        return endpoint

    async def create_upload(request: Request) -> JSONResponse:
        caller = await _caller(request)
        body = _model(UploadRequest, await _signed_body(request, caller))
        status, out, headers = await run_in_threadpool(uploads.create, _pf(request), caller, body)
        return _out(out, status, headers)

    async def upload_status(request: Request, package_id: str) -> JSONResponse:
        caller = await _caller(request)
        return _out(await run_in_threadpool(uploads.status, _pf(request), caller, package_id))

    async def put_part(request: Request, package_id: str, n: int) -> JSONResponse:
        caller = await _caller(request)
        if n > 999_999:
            raise Problem(400, "bad_part", "分片序号超出范围", f"part {n}", close=True)
        sink = await run_in_threadpool(uploads.begin_part, _pf(request), caller, package_id, n, _length(request))
        try:
            async for chunk in request.stream():
                if chunk:
                    await run_in_threadpool(sink.write, chunk)
        except ClientDisconnect:
            await run_in_threadpool(sink.abandon)
            log.info("connection dropped during part %d of %s after %d bytes", n, package_id, sink.got)
            return JSONResponse({}, status_code=400)  # nobody is there to read it
        except BaseException:
            await run_in_threadpool(sink.abandon)
            raise
        return _out(await run_in_threadpool(sink.finish, caller.body_sha256))

    async def complete(request: Request, package_id: str) -> JSONResponse:
        caller = await _caller(request)
        await _signed_body(request, caller)
        return _out(await run_in_threadpool(receipts.complete, _pf(request), caller, package_id))

    problems: dict[int | str, dict[str, Any]] = {s: _PROBLEM for s in (400, 401, 403, 404, 409, 413, 422, 429)}
    route("/v1/health", health, methods=["GET"], operation_id="health", response_model=Health)
    route("/v1/devices/enrol", enrol_device, methods=["POST"], operation_id="enrol", response_model=Enrolment,
          status_code=201, openapi_extra=_body(EnrolRequest), responses=problems)
    route("/v1/devices/renew", renew, methods=["POST"], operation_id="renewCredential", response_model=Renewal,
          openapi_extra=_body(None), responses=problems)
    route("/v1/devices/heartbeat", heartbeat, methods=["POST"], operation_id="heartbeat",
          response_model=HeartbeatAnswer, openapi_extra=_body(None), responses=problems)
    route("/v1/devices/config", config, methods=["GET"], operation_id="remoteConfig", response_model=RemoteConfig,
          responses=problems)
    route("/v1/staff/login", staff_login, methods=["POST"], operation_id="staffLogin", response_model=StaffLogin,
          openapi_extra=_body(StaffLoginRequest), responses=problems)
    route("/v1/cases", case_by_qr, methods=["GET"], operation_id="caseByQr", responses=problems)
    route("/v1/cases/{case_no}", case, methods=["GET"], operation_id="getCase", responses=problems)
    route("/v1/cases/{case_no}/documents/{doc_id}", _file(cases.document), methods=["GET"],
          operation_id="getDocument", responses=problems)
    route("/v1/cases/{case_no}/parties/{party_id}/photo", _file(cases.photo), methods=["GET"],
          operation_id="getPartyPhoto", responses=problems)
    route("/v1/packages", create_upload, methods=["POST"], operation_id="createUpload", response_model=UploadStatus,
          status_code=201, openapi_extra=_body(UploadRequest), responses=problems)
    route("/v1/packages/{package_id}", upload_status, methods=["GET"], operation_id="uploadStatus",
          response_model=UploadStatus, responses=problems)
    route("/v1/packages/{package_id}/parts/{n:int}", put_part, methods=["PUT"], operation_id="putPart",
          response_model=PartAnswer, responses=problems)
    route("/v1/packages/{package_id}/complete", complete, methods=["POST"], operation_id="completeUpload",
          response_model=ReceiptBody, openapi_extra=_body(None), responses=problems)
    return app


def _handlers(app: FastAPI) -> None:
    async def on_problem(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, Problem)
        return problem_response(exc)

    async def on_http(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        if exc.status_code == 405:
            return problem_response(Problem(405, "method_not_allowed", "不支持的请求方法",
                                            f"{request.method} {request.url.path}"),
                                    {"Allow": (exc.headers or {}).get("Allow", "")})
        if exc.status_code == 404:
            return problem_response(Problem(404, "not_found", "没有这个接口", request.url.path))
        return problem_response(Problem(exc.status_code, "bad_request", "请求无效", str(exc.detail)))

    async def on_validation(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(x) for x in first.get("loc", ()))
        return problem_response(Problem(400, "bad_request", "请求参数不正确", f"{where}: {first.get('msg', '')}"))

    async def on_error(request: Request, exc: Exception) -> Response:
        log.error("reference platform failed on %s %s", request.method, request.url.path, exc_info=exc)
        return problem_response(Problem(500, "internal", "平台内部错误", close=True))

    async def on_gone(request: Request, exc: Exception) -> Response:
        log.info("client went away during %s %s", request.method, request.url.path)
        return Response(b"", status_code=400, headers={"Connection": "close"})

    app.add_exception_handler(ClientDisconnect, on_gone)
    app.add_exception_handler(Problem, on_problem)
    app.add_exception_handler(StarletteHTTPException, on_http)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(Exception, on_error)


__all__ = ["EMPTY_SHA256", "build_app", "openapi_document"]
