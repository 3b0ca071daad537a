"""The county web console: server-rendered pages (Jinja2) over ``fieldvisit.county``.

Stable URLs: ``/login``, ``/`` (总览), ``/townships/{code}``, ``/villages/{code}``,
``/households/{户编号}``, ``/search``, ``/cases``, ``/conflicts``, ``/devices``,
``/bundles``, ``/exports``, ``/audit``. A page needs a session (else 303 to ``/login``);
data outside the user's scope is 404 (as if it did not exist), an action the role may
not take is 403. Every POST form carries ``csrf_token`` (the session's; the login form's
is a cookie of its own), and a POST without the right one is 403. Decisions go through
the functions the CLI uses (``monitoring.cases.record_step`` at the county,
``county.conflicts.resolve``), so they travel back to the laptops in their next return
bundle, and each is written to the audit log. No JavaScript and no CDN: one stylesheet
served from ``/static``. Chinese first; ``/lang/en`` switches to English (a cookie).
"""

# No ``from __future__ import annotations``: FastAPI reads the routes' annotations.
import secrets
import shutil
import tempfile
import threading
import urllib.parse
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import anyio
from fastapi import Depends, FastAPI, File, Form, Request, UploadFile
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.background import BackgroundTask

from fieldvisit import paths
from fieldvisit.checklist import installed
from fieldvisit.checklist.settings import load_settings
from fieldvisit.county import conflicts as county_conflicts
from fieldvisit.county import console as views
from fieldvisit.county import devices as county_devices
from fieldvisit.county import exports as county_exports
from fieldvisit.county import users
from fieldvisit.county.office import County
from fieldvisit.errors import FieldVisitError
from fieldvisit.monitoring import cases as monitor_cases
from fieldvisit.monitoring.department_command import outcome, report_lines
from fieldvisit.monitoring.department_sources import SOURCES
from fieldvisit.monitoring.departments import apply_compare, plan_compare
from fieldvisit.roster.vocab import MONITOR_CATEGORIES
from fieldvisit.server.i18n import ENGLISH, translate
from fieldvisit.sync import bundle as sync_bundle
from fieldvisit.sync.errors import SyncError

HERE = Path(__file__).resolve().parent
SESSION_COOKIE = "fv_session"
LOGIN_CSRF_COOKIE = "fv_login_csrf"
LANG_COOKIE = "fv_lang"
FAILED_LOGIN_DELAY = 0.5  # seconds, on every wrong password (the lock comes on top)
UPLOAD_LIMIT = 512 * 1024 * 1024
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; "
                               "frame-ancestors 'none'; form-action 'self'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}
NOTICES = {  # ?ok=… after a POST (redirect-after-post): fixed texts, nothing reflected
    "case": ("已办理，结果将随回执包回到村里的电脑", "done; the decision travels back to the "
             "village laptop in its next return bundle"),
    "conflict": ("冲突已裁定，裁定将随回执包回到本村的电脑", "conflict decided; the decision "
                 "travels back to the village's laptops"),
    "revoked": ("设备已停用", "device revoked"),
}


class LoginRequired(Exception):
    def __init__(self, path: str) -> None:
        super().__init__(path)
        self.path = path


class ConsoleError(Exception):
    """A page refused: 403 (not for this role), 404 (no such thing in the scope) …"""

    def __init__(self, status: int, zh: str, en: str) -> None:
        super().__init__(en)
        self.status, self.zh, self.en = status, zh, en


def _not_found() -> ConsoleError:
    return ConsoleError(404, "没有这个页面，或不在您的管辖范围内",
                        "no such page, or it is outside your area")


def _forbidden(zh: str = "您的角色不能办理这项操作", en: str = "your role may not do this"
               ) -> ConsoleError:
    return ConsoleError(403, zh, en)


def _lang(request: Request) -> str:
    return "en" if request.cookies.get(LANG_COOKIE) == "en" else "zh"


def _address(request: Request) -> str:
    return request.client.host if request.client else ""


def _secure(request: Request) -> bool:
    return request.url.scheme == "https" or \
        request.headers.get("x-forwarded-proto", "").lower() == "https"


def _safe_next(target: str | None) -> str:
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


def install(app: FastAPI, county: County, *, session_hours: float = users.SESSION_HOURS
            ) -> None:
    """Add the console's routes, static files and error pages to the server's app."""
    env = Environment(loader=FileSystemLoader(str(HERE / "templates")),
                      autoescape=select_autoescape(["html"]), trim_blocks=True,
                      lstrip_blocks=True)
    finder = views.CountySearch()  # this process's search index, built in the background
    threading.Thread(target=finder.warm, args=(county.store,), daemon=True,
                     name="search-index").start()
    counts = views.CountsCache()  # this process's 总览 figures, at most a minute old
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")

    def render(request: Request, name: str, status: int = 200,
               session: users.Session | None = None, **context: Any) -> HTMLResponse:
        lang = _lang(request)
        text: Callable[[str], str] = translate(lang)

        def both(zh: str, en: str) -> str:
            return en if lang == "en" else zh

        html = env.get_template(name).render(
            _=text, both=both, lang=lang, session=session, user=session.user if session else None,
            csrf=session.csrf if session else "", path=request.url.path,
            here=request.url.path + (f"?{request.url.query}" if request.url.query else ""),
            notice=NOTICES.get(request.query_params.get("ok", "")), today=date.today(),
            bands=views.AGE_BANDS,
            **context)
        return HTMLResponse(html, status_code=status, headers=SECURITY_HEADERS)

    @app.exception_handler(LoginRequired)
    async def _login_required(_request: Request, error: LoginRequired) -> Response:
        target = "/login?next=" + urllib.parse.quote(error.path, safe="/")
        return RedirectResponse(target, status_code=303)

    @app.exception_handler(ConsoleError)
    async def _console_error(request: Request, error: ConsoleError) -> HTMLResponse:
        found = await anyio.to_thread.run_sync(users.session, county,
                                               request.cookies.get(SESSION_COOKIE))
        return render(request, "error.html", error.status, found, error=error)

    def current(request: Request) -> users.Session:
        found = users.session(county, request.cookies.get(SESSION_COOKIE))
        if found is None:
            path = request.url.path if request.method == "GET" else "/"
            if request.method == "GET" and request.url.query:
                path += "?" + request.url.query
            raise LoginRequired(path)
        return found

    Current = Annotated[users.Session, Depends(current)]

    def posted(session: Current, csrf_token: Annotated[str, Form()] = "") -> users.Session:
        """A POST's session, or 403 when its form lacks the session's CSRF token."""
        if not csrf_token or not secrets.compare_digest(csrf_token, session.csrf):
            raise _forbidden("表单已失效或来源不明（缺少防伪令牌），请回到页面重新提交",
                             "the form has expired or did not come from this site (no "
                             "valid CSRF token); go back and submit it again")
        return session

    Posted = Annotated[users.Session, Depends(posted)]

    @app.get("/fonts/cjk.ttf")
    def cjk_font() -> Response:
        """The app's bundled CJK font (covers Ext-A rare name characters): the stylesheet
        names it last, so a browser fetches it only for characters its own fonts lack."""
        return FileResponse(paths.resource("fonts", "DroidSansFallbackFull.ttf"),
                            media_type="font/ttf",
                            headers={"Cache-Control": "public, max-age=604800"})

    # ---- logging in and out -------------------------------------------------------

    @app.get("/login")
    def login_page(request: Request, next: str = "/") -> HTMLResponse:
        token = request.cookies.get(LOGIN_CSRF_COOKIE) or secrets.token_urlsafe(24)
        response = render(request, "login.html", next=_safe_next(next), login_csrf=token,
                          problem=None, username="")
        response.set_cookie(LOGIN_CSRF_COOKIE, token, httponly=True, samesite="strict",
                            secure=_secure(request), path="/login")
        return response

    @app.post("/login")
    async def login(request: Request, username: Annotated[str, Form()] = "",
                    password: Annotated[str, Form()] = "",
                    csrf_token: Annotated[str, Form()] = "",
                    next: Annotated[str, Form()] = "/") -> Response:
        cookie_token = request.cookies.get(LOGIN_CSRF_COOKIE, "")
        if not csrf_token or not cookie_token or \
                not secrets.compare_digest(csrf_token, cookie_token):
            raise _forbidden("登录表单已失效，请刷新登录页后重试",
                             "the login form has expired; reload the login page")
        outcome = await anyio.to_thread.run_sync(
            lambda: users.log_in(county, username, password, _address(request),
                                 hours=session_hours))
        if outcome.cookie is None:
            if outcome.reason == "bad-login":
                await anyio.sleep(FAILED_LOGIN_DELAY)
            if outcome.wait:
                problem = (f"密码错误次数过多，请 {outcome.wait} 秒后再试",
                           f"too many wrong passwords: try again in {outcome.wait} seconds")
            else:
                problem = ("用户名或密码不对（或账号已停用）",
                           "wrong user name or password (or the account is disabled)")
            status = 429 if outcome.reason == "locked" else 401
            return render(request, "login.html", status, next=_safe_next(next),
                          login_csrf=cookie_token, problem=problem, username=username[:64])
        response = RedirectResponse(_safe_next(next), status_code=303)
        response.set_cookie(SESSION_COOKIE, outcome.cookie, httponly=True, samesite="lax",
                            secure=_secure(request), max_age=int(session_hours * 3600),
                            path="/")
        response.delete_cookie(LOGIN_CSRF_COOKIE, path="/login")
        return response

    @app.post("/logout")
    def logout(request: Request, session: Posted) -> Response:
        users.log_out(county, request.cookies.get(SESSION_COOKIE, ""), session.user.name,
                      _address(request))
        response = RedirectResponse("/login", status_code=303)
        response.delete_cookie(SESSION_COOKIE, path="/")
        return response

    @app.get("/lang/{lang}")
    def language(lang: str, request: Request, next: str = "/") -> Response:
        if lang not in ("zh", "en"):
            raise _not_found()
        response = RedirectResponse(_safe_next(next), status_code=303)
        response.set_cookie(LANG_COOKIE, lang, samesite="lax", max_age=365 * 86400,
                            secure=_secure(request))
        return response

    # ---- 总览 and drilling down -------------------------------------------------------

    @app.get("/")
    def overview(request: Request, session: Current) -> HTMLResponse:
        scope = session.user.scope
        lines, counted = counts.lines(county.store, date.today())
        with county.store.reading() as conn:
            townships = views.township_counts(conn, scope, date.today(), lines=lines)
        return render(request, "overview.html", session=session, townships=townships,
                      title=("总览", "Overview"), single=None, counted=counted)

    @app.get("/townships/{code}")
    def township(code: str, request: Request, session: Current) -> HTMLResponse:
        scope = session.user.scope
        if not scope.allows_township(code):
            raise _not_found()
        lines, counted = counts.lines(county.store, date.today())
        with county.store.reading() as conn:
            found = views.township_counts(conn, scope, date.today(), township=code,
                                          lines=lines)
        if not found:
            raise _not_found()
        return render(request, "overview.html", session=session, townships=found,
                      title=(found[0].name, found[0].name), single=found[0], counted=counted)

    @app.get("/villages/{code}")
    def village(code: str, request: Request, session: Current, q: str = "") -> HTMLResponse:
        scope = session.user.scope
        lines, _counted = counts.lines(county.store, date.today())
        if code not in lines:  # a village new since the last count
            counts.clear()
            lines, _counted = counts.lines(county.store, date.today())
        with county.store.reading() as conn:
            if code not in scope.villages(conn) or code not in lines:
                raise _not_found()
            line = lines[code]
            rows = views.village_households(conn, code)
            township = views.village_of_township(conn, code)
        needle = q.strip().lower()
        if needle:
            rows = [r for r in rows if needle in r.code.lower() or needle in r.head.lower()]
        return render(request, "village.html", session=session, counts=line, rows=rows,
                      township=township, q=q)

    @app.get("/households/{code}")
    def household(code: str, request: Request, session: Current) -> HTMLResponse:
        with county.store.reading() as conn:
            page = views.household_page(conn, session.user.scope, code)
            township = views.village_of_township(conn, page.village_code) if page else None
        if page is None:
            raise _not_found()
        return render(request, "household.html", session=session, page=page,
                      township=township)

    @app.get("/search")
    def search(request: Request, session: Current, q: str = "") -> HTMLResponse:
        found = views.search(county.store, finder, session.user.scope, q) if q.strip() else []
        return render(request, "search.html", session=session, q=q, found=found)

    # ---- 监测审批 --------------------------------------------------------------------

    @app.get("/cases")
    def case_list(request: Request, session: Current) -> HTMLResponse:
        with county.store.reading() as conn:
            waiting = views.waiting_cases(conn, session.user.scope)
            evidence = {w.case.id: views.case_evidence(conn, w.case) for w in waiting}
        return render(request, "cases.html", session=session, waiting=waiting,
                      categories=MONITOR_CATEGORIES, problem=None, failed=None,
                      evidence=evidence)

    @app.post("/cases/{case_id}/decide")
    def decide_case(case_id: str, request: Request, session: Posted,
                    decision: Annotated[str, Form()] = "",
                    reason: Annotated[str, Form()] = "",
                    category: Annotated[str, Form()] = "") -> Response:
        scope = session.user.scope
        with county.store.reading() as conn:
            found = views.case_in_scope(conn, scope, case_id)
        if found is None:
            raise _not_found()
        if not found.may_decide:
            raise _forbidden(f"“{found.step}”不由您的角色办理",
                             f"your role does not do {found.step}")
        if decision not in ("approve", "reject"):
            raise ConsoleError(422, "请选择通过或不通过", "choose approve or reject")
        given = monitor_cases.StepInput(
            step=found.step, done_on=date.today(), actor=session.user.name,
            result=monitor_cases.PASSED if decision == "approve" else monitor_cases.FAILED,
            note=reason.strip() or None, category=category.strip() or None)
        try:
            monitor_cases.record_step(
                county.store, case_id, given, at_county=True,
                settings=load_settings(installed.settings_path(county.folder)))
        except FieldVisitError as error:
            with county.store.reading() as conn:
                waiting = views.waiting_cases(conn, scope)
                evidence = {w.case.id: views.case_evidence(conn, w.case) for w in waiting}
            return render(request, "cases.html", 422, session=session, waiting=waiting,
                          categories=MONITOR_CATEGORIES, problem=(error.zh, error.en),
                          failed=case_id, evidence=evidence)
        counts.clear()
        users.record(county, session.user.name, f"case-{decision}", case_id,
                     f"{found.step} {found.case.household_code} {reason.strip()}".strip(),
                     _address(request))
        return RedirectResponse("/cases?ok=case", status_code=303)

    # ---- 冲突 ----------------------------------------------------------------------

    @app.get("/conflicts")
    def conflict_list(request: Request, session: Current, status: str = "open"
                      ) -> HTMLResponse:
        if status not in ("open", "decided"):
            status = "open"
        with county.store.reading() as conn:
            found = views.conflicts(conn, session.user.scope, status)
        return render(request, "conflicts.html", session=session, conflicts=found,
                      showing=status, problem=None, failed=None)

    @app.post("/conflicts/{conflict_id}/resolve")
    def resolve_conflict(conflict_id: int, request: Request, session: Posted,
                         pick: Annotated[str, Form()] = "",
                         value: Annotated[str, Form()] = "") -> Response:
        from fieldvisit.server.commands import typed_value

        scope = session.user.scope
        with county.store.reading() as conn:
            found = [v for v in views.conflicts(conn, scope, None) if v.id == conflict_id]
        if not found:
            raise _not_found()
        if scope.role == "village":
            raise _forbidden("村级用户只能查看冲突，由乡镇或县里裁定",
                             "village users see conflicts; the township or county decides")
        view = found[0]
        try:
            if view.status != "open":
                raise SyncError("decided", "这处冲突已经裁定过", "this conflict is already decided")
            if value.strip():
                try:
                    chosen = typed_value(view.entity, view.field, value)
                except ValueError:
                    raise SyncError("bad-value", f"“{value}”不是字段 {view.field} 能取的值",
                                    f"'{value}' is not a value for {view.field}") from None
            else:
                chosen = county_conflicts.candidate(view, int(pick) if pick.isdigit() else pick)
            county_conflicts.resolve(county, conflict_id, chosen, session.user.name)
        except FieldVisitError as error:
            with county.store.reading() as conn:
                listed = views.conflicts(conn, scope, "open")
            return render(request, "conflicts.html", 422, session=session, conflicts=listed,
                          showing="open", problem=(error.zh, error.en), failed=conflict_id)
        counts.clear()
        users.record(county, session.user.name, "conflict-resolve", f"#{conflict_id}",
                     f"{view.entity}.{view.field} = {chosen}", _address(request))
        return RedirectResponse("/conflicts?ok=conflict", status_code=303)

    # ---- 设备 ----------------------------------------------------------------------

    @app.get("/devices")
    def device_list(request: Request, session: Current) -> HTMLResponse:
        with county.store.reading() as conn:
            found = views.devices(conn, session.user.scope)
            villages = session.user.scope.villages(conn)
        return render(request, "devices.html", session=session, devices=found,
                      villages=villages, enrolled=None)

    def county_only(session: users.Session) -> None:
        if not session.user.scope.is_county:
            raise _forbidden("只有县级用户能管理设备", "only county users manage devices")

    @app.post("/devices/enroll")
    def enroll(request: Request, session: Posted, village: Annotated[str, Form()] = "",
               cadre: Annotated[str, Form()] = "") -> HTMLResponse:
        county_only(session)
        if not cadre.strip() or len(cadre) > 64:
            raise ConsoleError(422, "请填写使用这台电脑的干部姓名",
                               "name the cadre who will use the laptop")
        folder = county.folder / "enrollments"
        try:
            done = county_devices.enroll(county, village.strip(), cadre.strip(), folder)
        except FieldVisitError as error:
            raise ConsoleError(422, error.zh, error.en) from None
        users.record(county, session.user.name, "device-enroll", done.device,
                     f"{village} {cadre}", _address(request))
        with county.store.reading() as conn:
            found = views.devices(conn, session.user.scope)
            villages = session.user.scope.villages(conn)
        response = render(request, "devices.html", session=session, devices=found,
                          villages=villages, enrolled=done)
        response.headers["Cache-Control"] = "no-store"  # the activation code, shown once
        return response

    @app.get("/devices/{device_id}/enrollment")
    def enrollment_file(device_id: str, request: Request, session: Current) -> Response:
        county_only(session)
        found = sorted((county.folder / "enrollments").glob(f"*_{device_id}.fve")) \
            if device_id.isalnum() else []
        if not found:
            raise _not_found()
        users.record(county, session.user.name, "enrollment-download", device_id, "",
                     _address(request))
        return FileResponse(found[0], media_type="application/octet-stream",
                            filename=found[0].name)

    @app.get("/devices/{device_id}/return")
    def return_file(device_id: str, request: Request, session: Current) -> Response:
        """The laptop's return bundle, written now (``server return-bundle``), to take
        back on the USB stick: county users, and township users for their villages."""
        from fieldvisit.county.returns import return_bundle

        scope = session.user.scope
        with county.store.reading() as conn:
            device = county_devices.find_device(conn, device_id) if device_id.isalnum() \
                else None
        if device is None or not scope.allows_village(device.village):
            raise _not_found()
        if scope.role == "village":
            raise _forbidden()
        folder = Path(tempfile.mkdtemp(dir=_folder(county, "outgoing")))
        try:
            path = return_bundle(county, device_id, folder)
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        users.record(county, session.user.name, "return-download", device_id, "",
                     _address(request))
        return FileResponse(path, media_type="application/octet-stream", filename=path.name,
                            background=BackgroundTask(shutil.rmtree, folder,
                                                      ignore_errors=True))

    @app.post("/devices/{device_id}/revoke")
    def revoke(device_id: str, request: Request, session: Posted) -> Response:
        county_only(session)
        if not county_devices.revoke(county, device_id):
            raise _not_found()
        users.record(county, session.user.name, "device-revoke", device_id, "",
                     _address(request))
        return RedirectResponse("/devices?ok=revoked", status_code=303)

    # ---- 同步包 --------------------------------------------------------------------

    @app.get("/bundles")
    def bundle_list(request: Request, session: Current) -> HTMLResponse:
        with county.store.reading() as conn:
            found = views.bundles(conn, session.user.scope)
        return render(request, "bundles.html", session=session, bundles=found, verdict=None)

    @app.post("/bundles/upload")
    def upload(request: Request, session: Posted,
               file: Annotated[UploadFile, File()]) -> HTMLResponse:
        from fieldvisit.county.ingest import ingest

        scope = session.user.scope
        if scope.role == "village":
            raise _forbidden()
        incoming = county.folder / "incoming"
        incoming.mkdir(exist_ok=True)
        handle, name = tempfile.mkstemp(dir=incoming, suffix=".part")
        path = Path(name)
        try:
            with open(handle, "wb") as out:
                _copy_capped(file, out)
            try:
                sender = sync_bundle.read_header(path).header.sender
            except SyncError:
                sender = ""
            with county.store.reading() as conn:
                device = county_devices.find_device(conn, sender) if sender else None
            if not scope.is_county and (device is None
                                        or not scope.allows_village(device.village)):
                raise _forbidden("这个同步包不是您管辖范围内的电脑发来的",
                                 "this bundle is not from a laptop in your area")
            verdict = ingest(county, path)
        finally:
            path.unlink(missing_ok=True)
        users.record(county, session.user.name, "bundle-upload", verdict.device or "",
                     f"{'accepted' if verdict.accepted else 'rejected'} {verdict.reason}",
                     _address(request))
        with county.store.reading() as conn:
            found = views.bundles(conn, scope)
        return render(request, "bundles.html", 200 if verdict.accepted else 422,
                      session=session, bundles=found, verdict=verdict)

    # ---- 报表 ----------------------------------------------------------------------

    @app.get("/exports")
    def export_list(request: Request, session: Current) -> HTMLResponse:
        return render(request, "exports.html", session=session,
                      exports=county_exports.EXPORTS, sources=list(SOURCES), report=None,
                      problem=None)

    @app.post("/exports/compare")
    def compare(request: Request, session: Posted, file: Annotated[UploadFile, File()],
                source: Annotated[str, Form()] = "",
                dry_run: Annotated[str, Form()] = "") -> HTMLResponse:
        """部门预警: a department's list compared with the roster (``monitor compare``);
        its proposals (待确认) reach the villages' laptops in their return bundles."""
        if not session.user.scope.is_county:
            raise _forbidden("只有县级用户能比对部门名单", "only county users compare "
                             "department lists")
        suffix = Path(file.filename or "").suffix.lower()
        if suffix not in (".xlsx", ".xls", ".csv"):
            suffix = ".xlsx"
        folder = Path(tempfile.mkdtemp(dir=_folder(county, "incoming")))
        try:
            path = folder / f"{Path(file.filename or 'list').stem[:60] or 'list'}{suffix}"
            with open(path, "wb") as out:
                _copy_capped(file, out)
            try:
                plan = plan_compare(county.store, path, source, today=date.today())
            except FieldVisitError as error:
                return render(request, "exports.html", 422, session=session,
                              exports=county_exports.EXPORTS, sources=list(SOURCES),
                              report=None, problem=(error.zh, error.en))
            written = [] if dry_run else apply_compare(county.store, plan)
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        users.record(county, session.user.name, "department-compare", source,
                     f"{plan.rows_read} rows, {len(plan.proposals)} proposals, "
                     f"{len(written)} written, {len(plan.unmatched)} unmatched",
                     _address(request))
        report = [*report_lines(plan), outcome(plan, bool(dry_run), written)]
        return render(request, "exports.html", session=session,
                      exports=county_exports.EXPORTS, sources=list(SOURCES), report=report,
                      problem=None)

    @app.get("/exports/{name}.xlsx")
    def export(name: str, request: Request, session: Current) -> Response:
        if name not in county_exports.EXPORTS:
            raise _not_found()
        folder = Path(tempfile.mkdtemp(dir=_folder(county, "outgoing")))
        try:
            stem = county_exports.EXPORTS[name][1]
            path = folder / f"{stem}.xlsx"
            count = county_exports.write_export(county.store, session.user.scope, name, path)
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        users.record(county, session.user.name, "export", name,
                     f"{session.user.scope.text} {count} rows", _address(request))
        filename = f"{stem}_{session.user.scope.code or county.code or 'county'}_" \
                   f"{date.today():%Y%m%d}.xlsx"
        return FileResponse(path, filename=filename, media_type=XLSX, background=BackgroundTask(
            shutil.rmtree, folder, ignore_errors=True))

    # ---- 审计日志 --------------------------------------------------------------------

    @app.get("/audit")
    def audit(request: Request, session: Current) -> HTMLResponse:
        if not session.user.scope.is_county:
            raise _forbidden("只有县级用户能查看审计日志", "only county users see the audit log")
        with county.store.reading() as conn:
            entries = users.audit_entries(conn, 300)
            people = users.users(conn)
        return render(request, "audit.html", session=session, entries=entries, people=people)


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _copy_capped(upload: UploadFile, out: Any) -> None:
    """Copy an uploaded file, refusing it past UPLOAD_LIMIT bytes (413)."""
    size = 0
    while block := upload.file.read(1 << 20):
        size += len(block)
        if size > UPLOAD_LIMIT:
            raise ConsoleError(413, f"文件超过 {UPLOAD_LIMIT >> 20} MB，请用U盘交到县里",
                               f"the file exceeds {UPLOAD_LIMIT >> 20} MB; bring it on a "
                               "USB stick")
        out.write(block)


def _folder(county: County, name: str) -> Path:
    folder = county.folder / name
    folder.mkdir(exist_ok=True)
    return folder


def missing_english(texts: list[str]) -> list[str]:
    """The texts (from the templates) that have no English yet (a test keeps this empty)."""
    return [text for text in texts if text not in ENGLISH]
