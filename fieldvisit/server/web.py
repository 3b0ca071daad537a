"""The county server's HTTP API: thin routes over fieldvisit.county.

``POST /api/v1/bundles`` takes a laptop's ``.fvb`` (the body, streamed to a file in the
data folder, never held whole in memory) and answers with that laptop's return bundle.
Its authentication is the bundle itself: ingest checks the signature against the
device's registered key (or, for a first bundle, the activation proof), so it needs no
password; the ``X-FieldVisit-Device`` header must name a known device and the bundle's
sender, so strangers cannot make the county store their uploads.

Everything else is for county staff and needs a bearer token (``county.tokens``):
devices, received bundles with their verdicts, conflicts and their resolution.
``GET /api/v1/health`` is the one open route. Errors are JSON with ``reason``,
``message_zh`` and ``message_en``; unknown paths answer 404. A conflict is decided with
``{"pick": K}``, K counting candidates from 1 as listed (the CLI's numbering, through the
same ``county.conflicts.candidate``), or ``{"value": …}``.

Ingest runs in worker threads, at most ``INGEST_SLOTS`` at once; each applies in one
database transaction that starts by taking the store's write lock (``Store.transaction``),
so concurrent uploads serialise where they must and overlap where they can (reading,
verifying and decrypting the file). Run ``python -m fieldvisit.server.web --data-dir D``
or ``fieldvisit server run`` (both on port ``DEFAULT_PORT``); put it behind a TLS proxy
when tokens cross a network.
"""

# No ``from __future__ import annotations`` here: FastAPI reads the routes' annotations
# at run time, and the staff dependency they name is local to create_app.
import argparse
import json
import os
import shutil
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Annotated, Any

import anyio
import uvicorn
from fastapi import Body, Depends, FastAPI, Header, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse
from sqlalchemy import select
from starlette.background import BackgroundTask
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import ClientDisconnect

from fieldvisit.county import conflicts as county_conflicts
from fieldvisit.county import devices as county_devices
from fieldvisit.county.ingest import Verdict, ingest
from fieldvisit.county.models import ReceivedBundle
from fieldvisit.county.office import County
from fieldvisit.county.returns import return_bundle
from fieldvisit.county.scope import Scope
from fieldvisit.county.tokens import token_holder
from fieldvisit.errors import FieldVisitError
from fieldvisit.server import DEFAULT_PORT
from fieldvisit.sync import bundle
from fieldvisit.sync.errors import SyncError

MAX_BUNDLE = 512 * 1024 * 1024
INGEST_SLOTS = 8
DEVICE_HEADER = "X-FieldVisit-Device"
VERDICT_HEADER = "X-FieldVisit-Verdict"
BUNDLE_TYPE = "application/octet-stream"
_WRITE_BLOCK = 1 << 20
_STALE_SECONDS = 24 * 3600


class ApiError(Exception):
    """A refusal as the API reports it: status, reason code, Chinese and English."""

    def __init__(self, status: int, reason: str, zh: str, en: str, *,
                 headers: dict[str, str] | None = None, **extra: Any) -> None:
        super().__init__(en)
        self.status, self.reason, self.zh, self.en = status, reason, zh, en
        self.headers = headers
        self.extra = extra

    def response(self) -> JSONResponse:
        return JSONResponse({"reason": self.reason, "message_zh": self.zh,
                             "message_en": self.en, **self.extra},
                            status_code=self.status, headers=self.headers)


def _unauthorized() -> ApiError:
    return ApiError(401, "unauthorized", "需要县里工作人员的访问令牌",
                    "a county staff access token is required",
                    headers={"WWW-Authenticate": "Bearer"})


def _too_large(limit: int) -> ApiError:
    mb = limit // (1024 * 1024)
    return ApiError(413, "too-large", f"同步包超过服务器上限（{mb} MB）：请改用 U 盘送到县里",
                    f"the bundle exceeds the server's limit ({mb} MB); bring it to the "
                    "county on a USB stick")


_STATUS_TEXT = {
    404: ("not-found", "没有这个地址", "no such address"),
    405: ("method-not-allowed", "这个地址不接受这种请求", "this address does not accept "
          "this method"),
}


def create_app(county: County, *, max_bundle: int = MAX_BUNDLE,
               ingest_slots: int = INGEST_SLOTS) -> FastAPI:
    app = FastAPI(title="FieldVisit county server", docs_url=None, redoc_url=None,
                  openapi_url=None)
    slots: list[anyio.CapacityLimiter] = []  # made on first use, inside the event loop

    def ingest_limiter() -> anyio.CapacityLimiter:
        if not slots:
            slots.append(anyio.CapacityLimiter(ingest_slots))
        return slots[0]

    @app.exception_handler(ApiError)
    async def _api_error(_request: Request, error: ApiError) -> JSONResponse:
        return error.response()

    @app.exception_handler(FieldVisitError)
    async def _refused(_request: Request, error: FieldVisitError) -> JSONResponse:
        status = 404 if error.reason == "unknown-conflict" else 422
        return ApiError(status, error.reason, error.zh, error.en).response()

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(_request: Request, error: StarletteHTTPException) -> JSONResponse:
        reason, zh, en = _STATUS_TEXT.get(error.status_code, (
            "http-error", f"请求被拒绝（HTTP {error.status_code}）",
            f"request refused (HTTP {error.status_code})"))
        return ApiError(error.status_code, reason, zh, en,
                        headers=getattr(error, "headers", None)).response()

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, error: RequestValidationError) -> JSONResponse:
        where = "; ".join(".".join(str(p) for p in e.get("loc", ())) + ": " + str(e.get("msg"))
                          for e in error.errors())[:300]
        return ApiError(422, "bad-request", f"请求格式不对：{where}",
                        f"malformed request: {where}").response()

    @app.exception_handler(Exception)
    async def _crash(_request: Request, error: Exception) -> JSONResponse:
        return ApiError(500, "server-error", "服务器内部错误，请联系县里管理员",
                        "internal server error; tell the county's administrator").response()

    def staff(authorization: Annotated[str | None, Header()] = None) -> tuple[str, Scope]:
        """The token holder's name and scope, or 401: one visible dependency on every staff
        route. A township's or village's token sees only its villages' devices, bundles and
        conflicts, as its users do in the console."""
        scheme, _, token = (authorization or "").partition(" ")
        found = token_holder(county, token.strip()) if scheme.lower() == "bearer" else None
        if found is None:
            raise _unauthorized()
        return found

    Staff = Annotated[tuple[str, Scope], Depends(staff)]

    from fieldvisit.server import console

    console.install(app, county)
    worker = str(os.getpid())

    @app.middleware("http")
    async def _worker(request: Request, call_next: Any) -> Any:
        response = await call_next(request)
        response.headers["X-FieldVisit-Worker"] = worker  # which process answered
        return response

    @app.get("/api/v1/health")
    def health() -> dict[str, bool]:
        return {"ok": True}

    @app.post("/api/v1/bundles")
    async def receive_bundle(request: Request) -> Any:
        device = request.headers.get(DEVICE_HEADER, "").strip()
        if not device or len(device) > 64:
            raise ApiError(400, "no-device", f"请求缺少 {DEVICE_HEADER} 标头",
                           f"the request lacks the {DEVICE_HEADER} header")
        declared = request.headers.get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > max_bundle:
            raise _too_large(max_bundle)
        try:
            await run_in_threadpool(_known_device, county, device)
        except ApiError:
            await _drain(request, max_bundle)  # so the laptop can read why, not a reset
            raise
        incoming = _folder(county, "incoming")
        handle, name = tempfile.mkstemp(dir=incoming, suffix=".part")
        path = Path(name)
        try:
            await _save_body(request, handle, max_bundle)
            verdict, returned = await anyio.to_thread.run_sync(
                _ingest_and_return, county, path, device, limiter=ingest_limiter())
        except ClientDisconnect:
            return JSONResponse({}, status_code=400)
        finally:
            path.unlink(missing_ok=True)
        header = json.dumps(asdict(verdict), ensure_ascii=True, separators=(",", ":"))
        if returned is None:
            raise ApiError(422, verdict.reason, verdict.zh, verdict.en,
                           headers={VERDICT_HEADER: header}, verdict=asdict(verdict))
        return FileResponse(returned, media_type=BUNDLE_TYPE, filename=returned.name,
                            headers={VERDICT_HEADER: header},
                            background=BackgroundTask(shutil.rmtree, returned.parent,
                                                      ignore_errors=True))

    @app.get("/api/v1/bundles")
    def received_bundles(holder: Staff, limit: Annotated[int, Query(ge=1, le=1000)] = 100,
                         device: str | None = None, verdict: str | None = None
                         ) -> list[dict[str, Any]]:
        table = ReceivedBundle.__table__
        query = select(table).order_by(table.c.id.desc()).limit(limit)
        if device:
            query = query.where(table.c.device == device)
        if verdict:
            query = query.where(table.c.verdict == verdict)
        with county.store.reading() as conn:
            if not holder[1].is_county:
                query = query.where(table.c.device.in_(
                    [d.id for d in county_devices.devices(conn)
                     if holder[1].allows_village(d.village)]))
            rows = conn.execute(query).mappings().all()
        return [{**{k: v for k, v in row.items() if k != "header"},
                 "received_at": row["received_at"].isoformat(),
                 "header": json.loads(row["header"]) if row["header"] else None}
                for row in rows]

    @app.get("/api/v1/devices")
    def device_list(holder: Staff) -> list[dict[str, Any]]:
        with county.store.reading() as conn:
            found = [d for d in county_devices.devices(conn)
                     if holder[1].allows_village(d.village)]
        return [{"id": d.id, "village": d.village, "cadre": d.cadre, "status": d.status,
                 "public_key": d.public_key, "acked": d.acked, "return_seq": d.return_seq,
                 "last_created": d.last_created, "last_hash": d.last_hash,
                 "enrolled_at": d.enrolled_at.isoformat()} for d in found]

    @app.get("/api/v1/conflicts")
    def conflict_list(holder: Staff, status: Annotated[
            str, Query(pattern="^(open|decided|all)$")] = "open") -> list[dict[str, Any]]:
        with county.store.reading() as conn:
            found = county_conflicts.conflicts(conn, None if status == "all" else status)
        return [asdict(view) for view in found if holder[1].allows_village(view.village)]

    @app.post("/api/v1/conflicts/{conflict_id}/resolve")
    def resolve_conflict(conflict_id: int, holder: Staff,
                         decision: Annotated[dict[str, Any], Body()]) -> dict[str, Any]:
        if set(decision) not in ({"pick"}, {"value"}):
            raise ApiError(422, "bad-request", '请给出 {"pick": 候选序号（从 1 起）} 或 '
                           '{"value": 值} 之一', 'give exactly one of {"pick": candidate '
                           'number (from 1)} or {"value": ...}')
        name, scope = holder
        view = _conflict(county, conflict_id)
        if not scope.allows_village(view.village):
            raise ApiError(404, "unknown-conflict", f"没有编号为 {conflict_id} 的冲突",
                           f"no conflict number {conflict_id}")
        if scope.role == "village":
            raise ApiError(403, "forbidden", "村级令牌只能查看冲突，由乡镇或县里裁定",
                           "a village token sees conflicts; the township or county decides")
        value = (county_conflicts.candidate(view, decision["pick"]) if "pick" in decision
                 else decision["value"])
        county_conflicts.resolve(county, conflict_id, value, name)  # refusals: _refused
        return asdict(_conflict(county, conflict_id))

    return app


# ---- the work behind the routes (run in worker threads) --------------------------------

def _known_device(county: County, device_id: str) -> None:
    """Refuse uploads for devices the county never enrolled, before reading the body."""
    with county.store.reading() as conn:
        device = county_devices.find_device(conn, device_id)
    if device is None:
        raise ApiError(403, "unknown-device", f"未登记的设备 {device_id}：请先在县里注册这台电脑",
                       f"unknown device {device_id}: enroll this laptop with the county first")
    if device.status == "revoked":
        raise ApiError(403, "revoked", f"设备 {device_id} 已被停用，其同步包不再接收",
                       f"device {device_id} has been revoked; its bundles are refused")


async def _save_body(request: Request, handle: int, limit: int) -> None:
    """Stream the request body into the open file, refusing it past ``limit`` bytes."""
    size = 0
    pending = bytearray()
    with os.fdopen(handle, "wb") as out:
        async for chunk in request.stream():
            size += len(chunk)
            if size > limit:
                raise _too_large(limit)
            pending += chunk
            if len(pending) >= _WRITE_BLOCK:
                block, pending = pending, bytearray()
                await anyio.to_thread.run_sync(out.write, block)
        if pending:
            await anyio.to_thread.run_sync(out.write, pending)


async def _drain(request: Request, limit: int) -> None:
    """Read and drop a body this server will not keep (up to ``limit``): a client that is
    still sending when the connection closes sees a reset, not the answer."""
    size = 0
    try:
        async for chunk in request.stream():
            size += len(chunk)
            if size > limit:
                return
    except ClientDisconnect:
        return


def _ingest_and_return(county: County, path: Path, device: str
                       ) -> tuple[Verdict, Path | None]:
    try:
        sender = bundle.read_header(path).header.sender
    except SyncError:
        sender = device  # not a readable bundle: ingest records why
    if sender != device:
        raise ApiError(400, "device-mismatch",
                       f"请求标头中的设备 {device} 与同步包的发送者 {sender[:40]} 不符",
                       f"the request names device {device} but the bundle was sent by "
                       f"{sender[:40]}")
    verdict = ingest(county, path)
    if not verdict.accepted:
        return verdict, None
    folder = Path(tempfile.mkdtemp(dir=_folder(county, "outgoing")))
    try:
        return verdict, return_bundle(county, device, folder)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise


def _conflict(county: County, conflict_id: int) -> county_conflicts.ConflictView:
    with county.store.reading() as conn:  # decisions are rare: the public listing will do
        found = [v for v in county_conflicts.conflicts(conn, None) if v.id == conflict_id]
    if not found:
        raise ApiError(404, "unknown-conflict", f"没有编号为 {conflict_id} 的冲突",
                       f"no conflict number {conflict_id}")
    return found[0]


def _folder(county: County, name: str) -> Path:
    folder = county.folder / name
    folder.mkdir(exist_ok=True)
    return folder


def _sweep(county: County) -> None:
    """Remove uploads and return bundles a killed server left behind."""
    cutoff = time.time() - _STALE_SECONDS
    for name in ("incoming", "outgoing"):
        for entry in _folder(county, name).iterdir():
            if entry.stat().st_mtime < cutoff:
                if entry.is_dir():
                    shutil.rmtree(entry, ignore_errors=True)
                else:
                    entry.unlink(missing_ok=True)


# ---- running it ------------------------------------------------------------------------

def serve(county: County, host: str, port: int, *, max_bundle: int = MAX_BUNDLE,
          log_level: str = "info", workers: int = 1) -> None:
    """Serve the API and the console until interrupted (uvicorn; ``fieldvisit server run``
    calls this). With ``workers`` > 1, uvicorn starts that many processes, each opening
    the county itself (``app_from_environment``): sessions, login counters and the audit
    log are in the database, so any process serves any user."""
    _sweep(county)
    if workers > 1:
        os.environ[_DATA_ENV] = str(county.folder)
        os.environ[_URL_ENV] = county.store.engine.url.render_as_string(hide_password=False)
        os.environ[_MAX_ENV] = str(max_bundle)
        uvicorn.run("fieldvisit.server.web:app_from_environment", factory=True, host=host,
                    port=port, workers=workers, log_level=log_level, server_header=False,
                    timeout_keep_alive=30)
        return
    config = uvicorn.Config(create_app(county, max_bundle=max_bundle), host=host, port=port,
                            log_level=log_level, server_header=False, timeout_keep_alive=30)
    uvicorn.Server(config).run()


_DATA_ENV, _URL_ENV, _MAX_ENV = ("FIELDVISIT_SERVER_DATA_DIR", "FIELDVISIT_SERVER_DATABASE",
                                 "FIELDVISIT_SERVER_MAX_BUNDLE")


def app_from_environment() -> FastAPI:
    """One worker's app (``serve`` with workers > 1 names this factory to uvicorn)."""
    county = County.open(os.environ[_DATA_ENV], database_url=os.environ[_URL_ENV])
    return create_app(county, max_bundle=int(os.environ.get(_MAX_ENV, MAX_BUNDLE)))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m fieldvisit.server.web",
                                     description="FieldVisit 县级同步服务 / county sync server")
    parser.add_argument("--data-dir", help="县里的数据目录 / the county's data folder")
    parser.add_argument("--database", help="数据库 URL，如 postgresql+psycopg://… / database "
                        "URL (default: FIELDVISIT_DATABASE_URL, else SQLite in the data folder)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT)
    parser.add_argument("--workers", type=int, default=1,
                        help="工作进程数 / worker processes (sessions live in the database)")
    parser.add_argument("--max-bundle-mb", type=int, default=MAX_BUNDLE // (1024 * 1024),
                        help="同步包大小上限 / largest bundle accepted (MB)")
    args = parser.parse_args(argv)
    county = County.open(args.data_dir, database_url=args.database)
    try:
        serve(county, args.host, args.port, max_bundle=args.max_bundle_mb * 1024 * 1024,
              workers=max(1, args.workers))
    finally:
        county.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
