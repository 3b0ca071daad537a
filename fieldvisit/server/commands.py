"""The county server's commands, ``fieldvisit [--data-dir DIR] server … [--database URL]``:

``enroll --village CODE --cadre NAME -o DIR``  a new laptop: .fve file + activation code
``import FILE|DIR… [--return-to DIR]``         USB bundles, one verdict a line
``return-bundle DEVICE -o DIR``                what a laptop gets back
``conflicts`` / ``conflicts resolve N (--pick K | --value TEXT)``  K counts from 1, as listed
``devices`` / ``revoke DEVICE``
``run [--host H] [--port P]``                  the web server (fieldvisit.server), port 8000
``token NAME [--role R] [--revoke]``           county staff's access token for the web API
``user add NAME --role R [--password-file F]`` a console user (R: county, township:CODE,
                                               village:CODE); ``user list|disable|passwd``

The county's database is ``--database`` (a PostgreSQL URL), else FIELDVISIT_DATABASE_URL,
else SQLite in the data folder, where its roster comes from ``fieldvisit roster import``
or ``fieldvisit demo`` like any store's. Exit codes: 0 done, 1 refused or rejected (in a
batch: any bundle), 2 bad input.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fieldvisit.server import DEFAULT_PORT
from fieldvisit.sync.errors import SyncError

if TYPE_CHECKING:  # the parser is built at every start: Alembic only when a command runs
    from fieldvisit.county.office import County

OK, REFUSED, BAD_INPUT = 0, 1, 2


def add_parser(commands: argparse._SubParsersAction) -> None:
    server = commands.add_parser("server", help="县级服务器 / the county server")
    sub = server.add_subparsers(dest="server_command", required=True)
    database = argparse.ArgumentParser(add_help=False)  # every server command takes it
    database.add_argument("--database", metavar="URL",
                          help="县里数据库（PostgreSQL URL） / the county database (default: "
                          "FIELDVISIT_DATABASE_URL, else SQLite in the data folder)")

    def add(name: str, **kwargs: Any) -> argparse.ArgumentParser:
        return sub.add_parser(name, parents=[database], **kwargs)

    enroll = add("enroll", help="为一台村里电脑生成注册文件和激活码 / enroll a laptop: "
                 "enrollment file and activation code")
    enroll.add_argument("--village", required=True, help="12 位村代码 / 12-digit village code")
    enroll.add_argument("--cadre", required=True, help="使用这台电脑的干部 / the cadre using it")
    enroll.add_argument("-o", "--output", type=Path, required=True, metavar="DIR",
                        help="注册文件写到这个文件夹 / folder for the enrollment file")

    imp = add("import", help="导入U盘上的同步包 / import bundles from USB sticks")
    imp.add_argument("files", type=Path, nargs="+", metavar="FILE",
                     help="同步包，或含 *.fvb 的文件夹 / bundles, or folders of *.fvb")
    imp.add_argument("--return-to", type=Path, metavar="DIR",
                     help="随即为每台接收了的电脑写回执包 / write each accepted laptop's "
                     "return bundle here right away")

    back = add("return-bundle", help="为一台电脑写回执包 / write a laptop's return bundle")
    back.add_argument("device", help="设备编号 / device id")
    back.add_argument("-o", "--output", type=Path, required=True, metavar="DIR",
                      help="回执包写到这个文件夹（U盘） / folder (on the USB stick)")

    conflicts = add("conflicts", help="待审核的冲突 / open conflicts")
    conflict_commands = conflicts.add_subparsers(dest="conflict_command")
    resolve = conflict_commands.add_parser("resolve", parents=[database],
                                           help="裁定一处冲突 / decide a conflict")
    resolve.add_argument("number", type=int, help="冲突编号 / conflict number")
    choice = resolve.add_mutually_exclusive_group(required=True)
    choice.add_argument("--pick", type=int, metavar="K",
                        help="采用第 K 个候选值 / take candidate K (as listed)")
    choice.add_argument("--value", metavar="TEXT", help="采用另一个值 / take this value")
    resolve.add_argument("--by", help="裁定人 / who decides (default: FIELDVISIT_ACTOR or "
                         "the login name)")

    add("devices", help="已注册的电脑 / enrolled laptops")
    bundles = add("bundles", help="收到的同步包及被隔离的记录 / received bundles and "
                  "quarantined rows")
    bundles.add_argument("--last", type=int, default=20, metavar="N",
                         help="列出最近 N 个同步包 / list the last N bundles")
    revoke = add("revoke", help="停用一台电脑（丢失、被盗） / revoke a laptop (lost, stolen)")
    revoke.add_argument("device", help="设备编号 / device id")

    forms = add("forms", help="发布走访表和设置，随回执包发到各村 / publish checklists and "
                "settings: return bundles carry them to the villages")
    forms.add_argument("folder", type=Path, help="含 *.yaml 走访表（可含 settings.yaml）的文件夹 "
                       "/ folder of checklist *.yaml (and optionally settings.yaml)")

    # ---- the web server: fieldvisit.server, its own module ---------------------------
    run_web = add("run", help="运行县级网页服务 / run the county web server")
    run_web.add_argument("--host", default="127.0.0.1")
    run_web.add_argument("--port", type=int, default=DEFAULT_PORT)
    run_web.add_argument("--workers", type=int, default=1,
                         help="工作进程数（会话存于数据库，任一进程都能服务） / worker processes "
                         "(sessions live in the database: any of them serves any user)")
    from fieldvisit.county import tokens

    tokens.add_parser(sub)  # token NAME [--revoke]: access tokens for the web API

    user = add("user", help="网页控制台的用户 / web console users")
    user_commands = user.add_subparsers(dest="user_command", required=True)
    user_add = user_commands.add_parser("add", parents=[database],
                                        help="新增用户 / add a user")
    user_add.add_argument("name", help="用户名 / user name")
    user_add.add_argument("--role", required=True,
                          help="county（县级）、township:9位乡镇代码 或 village:12位村代码 / "
                          "county, township:CODE or village:CODE")
    user_add.add_argument("--password-file", type=Path, metavar="F",
                          help="从文件第一行读密码（否则提示输入） / read the password from the "
                          "file's first line (else asked for)")
    user_commands.add_parser("list", parents=[database], help="列出用户 / list users")
    user_disable = user_commands.add_parser("disable", parents=[database],
                                            help="停用用户（其登录随即失效） / disable a user "
                                            "(their sessions end)")
    user_disable.add_argument("name", help="用户名 / user name")
    user_disable.add_argument("--enable", action="store_true",
                              help="重新启用 / enable again")
    user_passwd = user_commands.add_parser("passwd", parents=[database],
                                           help="重设密码 / set a new password")
    user_passwd.add_argument("name", help="用户名 / user name")
    user_passwd.add_argument("--password-file", type=Path, metavar="F",
                             help="从文件第一行读密码 / read the password from the file")


def run(args: argparse.Namespace) -> int:
    command = {"enroll": _enroll, "import": _import, "return-bundle": _return_bundle,
               "conflicts": _conflicts, "devices": _devices, "bundles": _bundles,
               "revoke": _revoke, "user": _user,
               "run": _run_web, "token": _token, "forms": _forms}[args.server_command]
    from fieldvisit.county.office import County

    county = County.open(args.data_dir, database_url=getattr(args, "database", None))
    try:
        return command(args, county)
    except SyncError as error:
        print(f"{error.zh}\n{error.en}", file=sys.stderr)
        bad_input = ("unreadable", "unknown-village", "unknown-device", "bad-pick",
                     "bad-role", "bad-name", "bad-password", "unknown-user", "unknown-scope")
        return BAD_INPUT if error.reason in bad_input else REFUSED
    finally:
        county.close()


def _enroll(args: argparse.Namespace, county: County) -> int:
    from fieldvisit.county import devices

    if not (len(args.village) == 12 and args.village.isdigit()):
        print(f"村代码应为 12 位数字：{args.village}\na village code has 12 digits: "
              f"{args.village}", file=sys.stderr)
        return BAD_INPUT
    enrolled = devices.enroll(county, args.village, args.cadre, args.output)
    print(f"已登记新电脑 / laptop enrolled: 设备 / device {enrolled.device}，村 / village "
          f"{args.village}，干部 / cadre {args.cadre}，{enrolled.households} 户 / households")
    print(f"注册文件 / enrollment file: {enrolled.path}")
    print(f"激活码 / activation code: {enrolled.code}")
    print("请打电话把激活码念给这位干部，不要写在U盘上或与注册文件放在一起：文件和激活码分开走，"
          "丢了U盘也没人能用它。县里不保存激活码。\n"
          "Read the activation code to the cadre by phone; never put it on the USB stick or "
          "with the file: the file and the code travel apart, so a lost stick is useless to "
          "anyone. The county does not keep the code.")
    return OK


def _import(args: argparse.Namespace, county: County) -> int:
    from fieldvisit.county.ingest import ingest
    from fieldvisit.county.returns import return_bundle

    files = _bundle_files(args.files)
    if files is None:
        return BAD_INPUT
    rejected = 0
    accepted: list[str] = []
    for path in files:
        verdict = ingest(county, path)
        mark = "接收 / accepted" if verdict.accepted else f"拒收 / rejected ({verdict.reason})"
        device = f" [{verdict.device}]" if verdict.device else ""
        print(f"{path.name}{device}: {mark}: {verdict.message}")
        if verdict.accepted and verdict.device and verdict.device not in accepted:
            accepted.append(verdict.device)
        rejected += not verdict.accepted
    print(f"共 {len(files)} 个同步包：接收 {len(files) - rejected}，拒收 {rejected} / "
          f"{len(files)} bundles: {len(files) - rejected} accepted, {rejected} rejected")
    if args.return_to:
        for device in accepted:
            path = return_bundle(county, device, args.return_to)
            print(f"回执包 / return bundle [{device}]: {path}")
        if accepted:
            print("请把回执包随U盘带回村里，用 fieldvisit sync import 导入。 / Take the return "
                  "bundles back with the USB stick and import them with `fieldvisit sync "
                  "import`.")
    return REFUSED if rejected else OK


def _bundle_files(arguments: list[Path]) -> list[Path] | None:
    """Files as given; a folder gives its *.fvb by name, leaving out return bundles (the
    county's own, written onto the same stick)."""
    from fieldvisit.sync import bundle

    files: list[Path] = []
    for argument in arguments:
        if argument.is_dir():
            for path in sorted(argument.glob("*.fvb")):
                try:
                    kind = bundle.read_header(path).header.kind
                except SyncError:
                    kind = None  # ingest reports it
                if kind == "return":
                    print(f"{path.name}: 跳过县里的回执包 / skipped: a return bundle for a laptop")
                else:
                    files.append(path)
        elif argument.is_file():
            files.append(argument)
        else:
            print(f"找不到文件：{argument}\nno such file: {argument}", file=sys.stderr)
            return None
    if not files:
        print("没有找到同步包（*.fvb） / no bundle (*.fvb) found", file=sys.stderr)
        return None
    return files


def _return_bundle(args: argparse.Namespace, county: County) -> int:
    from fieldvisit.county.returns import return_bundle

    path = return_bundle(county, args.device, args.output)
    print(f"已写入回执包 / return bundle written: {path}")
    print("请把它随U盘带回村里，用 fieldvisit sync import 导入。 / Take it back on the USB "
          "stick and import it with `fieldvisit sync import`.")
    return OK


def _conflicts(args: argparse.Namespace, county: County) -> int:
    from fieldvisit.county import conflicts

    if args.conflict_command == "resolve":
        return _resolve(args, county)
    with county.store.reading() as conn:
        listed = conflicts.conflicts(conn)
    if not listed:
        print("没有待审核的冲突 / no open conflicts")
        return OK
    for view in listed:
        print(f"#{view.id} 村 / village {view.village}  {view.label}  "
              f"字段 / field {view.entity}.{view.field}")
        print(f"    原值 / base: {_shown(view.base)}")
        for index, candidate in enumerate(view.candidates, 1):
            who = candidate.get("device") or "?"
            if candidate.get("actor"):
                who += f"（{candidate['actor']}）"
            mark = "  ← 暂定 / provisional" if candidate["value"] == view.winner else ""
            print(f"    [{index}] {_shown(candidate['value'])}  设备 / device {who}  "
                  f"时钟 / clock {candidate.get('clock') or '-'}{mark}")
        print(f"    暂定采用 / provisional winner: {_shown(view.winner)}")
    print(f"共 {len(listed)} 处 / {len(listed)} open。裁定 / decide: fieldvisit server conflicts "
          f"resolve N --pick K")
    return OK


def _resolve(args: argparse.Namespace, county: County) -> int:
    from fieldvisit.county import conflicts

    with county.store.reading() as conn:
        found = [v for v in conflicts.conflicts(conn, status=None) if v.id == args.number]
    if not found:
        print(f"没有编号为 {args.number} 的冲突\nno conflict number {args.number}",
              file=sys.stderr)
        return BAD_INPUT
    view = found[0]
    if view.status != "open":
        print(f"冲突 #{view.id} 已经裁定过（{_shown(view.winner)}）\nconflict #{view.id} was "
              f"already decided ({_shown(view.winner)})", file=sys.stderr)
        return REFUSED
    if args.pick is not None:
        value = conflicts.candidate(view, args.pick)
    else:
        try:
            value = typed_value(view.entity, view.field, args.value)
        except ValueError:
            print(f"“{args.value}”不是字段 {view.field} 能取的值\n'{args.value}' is not a "
                  f"value for {view.field}", file=sys.stderr)
            return BAD_INPUT
    by = args.by or os.environ.get("FIELDVISIT_ACTOR") or _login()
    conflicts.resolve(county, view.id, value, by)
    print(f"冲突 #{view.id} 已裁定 / decided: {view.field} = {_shown(value)}（{by}）")
    print("下一步：为本村的电脑写回执包（fieldvisit server return-bundle 设备 -o U盘），"
          "裁定随之到达。 / Next: write return bundles for the village's laptops; the "
          "decision travels with them.")
    return OK


def typed_value(entity: str, field: str, text: str) -> Any:
    """The text of ``--value`` as the column's type (JSON-ready)."""
    from sqlalchemy import Boolean, Date, Float, Integer, Numeric

    from fieldvisit.store.changes import table_for

    column_type = table_for(entity).c[field].type
    if text.strip() == "":
        return None
    if isinstance(column_type, Boolean):
        lowered = text.strip().lower()
        if lowered in ("是", "true", "1", "yes"):
            return True
        if lowered in ("否", "false", "0", "no"):
            return False
        raise ValueError(text)
    if isinstance(column_type, Integer):
        return int(text)
    if isinstance(column_type, Float | Numeric):
        return float(text)
    if isinstance(column_type, Date):
        from datetime import date

        return date.fromisoformat(text.strip()).isoformat()
    return text


def _shown(value: Any) -> str:
    if value is None:
        return "（空） / (empty)"
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _devices(args: argparse.Namespace, county: County) -> int:
    from fieldvisit.county import devices

    with county.store.reading() as conn:
        listed = devices.devices(conn)
    if not listed:
        print("还没有登记任何电脑 / no laptop enrolled yet")
        return OK
    status = {"pending": "待激活 / pending", "active": "在用 / active",
              "revoked": "已停用 / revoked"}
    for device in listed:
        print(f"{device.id}  村 / village {device.village}  {device.cadre}  "
              f"{status.get(device.status, device.status)}  已确认至 / acked #{device.acked}  "
              f"登记于 / enrolled {device.enrolled_at:%Y-%m-%d}")
    return OK


def _bundles(args: argparse.Namespace, county: County) -> int:
    """What reached the county, newest first, and every stored row held back from the
    villages' return bundles (``county.quarantine``), with the device it came from."""
    from fieldvisit.county import devices, quarantine

    with county.store.reading() as conn:
        received = devices.received(conn, args.last)
        held = quarantine.listed(conn)
    if not received:
        print("还没有收到同步包 / no bundle received yet")
    for row in received:
        verdict = "接收 / accepted" if row.verdict == "accepted" else f"拒收 / rejected " \
            f"({row.reason})"
        print(f"{row.received_at:%Y-%m-%d %H:%M}  [{row.device or '?'}]  {verdict}  "
              f"{row.message}")
    if held:
        print(f"\n被隔离的记录（不随回执包发出）/ quarantined rows (left out of return "
              f"bundles): {len(held)}")
    for item in held:
        field = f".{item.field}" if item.field else ""
        print(f"#{item.seq}  村 / village {item.village}  [{item.origin}]  "
              f"{item.entity} {item.entity_id}{field}: {item.reason}")
    return OK


def _revoke(args: argparse.Namespace, county: County) -> int:
    from fieldvisit.county import devices

    if not devices.revoke(county, args.device):
        print(f"未登记的设备 {args.device}\nunknown device {args.device}", file=sys.stderr)
        return BAD_INPUT
    print(f"设备 {args.device} 已停用：它的同步包从此一律拒收。 / device {args.device} revoked: "
          f"its bundles are refused from now on.")
    return OK


def _forms(args: argparse.Namespace, county: County) -> int:
    from fieldvisit.checklist import installed

    folder = Path(args.folder)
    files = {f"{installed.FORMS}/{path.name}": path.read_bytes()
             for path in sorted(folder.glob("*.yaml")) if path.name not in installed.SINGLES}
    for name in installed.SINGLES:
        if (folder / name).is_file():
            files[name] = (folder / name).read_bytes()
    if not files:
        print(f"{folder} 中没有 *.yaml 文件\nno *.yaml files in {folder}", file=sys.stderr)
        return BAD_INPUT
    try:
        count = installed.receive(files).install(county.folder)
    except installed.FormsRejected as error:
        print(f"{error.zh}\n{error.en}", file=sys.stderr)
        return REFUSED
    print(f"已发布 {count} 个文件；此后的回执包和注册文件会带上它们。 / published {count} files; "
          "return bundles and enrollment files carry them from now on.")
    return OK


def _run_web(args: argparse.Namespace, county: County) -> int:
    try:
        from fieldvisit.server import web
    except ImportError as error:
        print(f"网页服务不可用：{error}\nthe web server is not available: {error}",
              file=sys.stderr)
        return BAD_INPUT
    web.serve(county, args.host, args.port, workers=max(1, args.workers))
    return OK


def _token(args: argparse.Namespace, county: County) -> int:
    from fieldvisit.county import tokens

    return tokens.command(args, county)


def _user(args: argparse.Namespace, county: County) -> int:
    from fieldvisit.county import users

    action = args.user_command
    if action == "list":
        with county.store.reading() as conn:
            listed = users.users(conn)
        if not listed:
            print("还没有用户 / no users yet")
        for user in listed:
            state = "已停用 / disabled" if user.disabled else "在用 / active"
            print(f"{user.name}  {user.scope.text}  {state}  "
                  f"建立于 / created {user.created_at:%Y-%m-%d}")
        return OK
    if action == "disable":
        users.disable_user(county, args.name, not args.enable)
        print(f"用户 {args.name} 已{'启用' if args.enable else '停用'} / user {args.name} "
              f"{'enabled' if args.enable else 'disabled'}")
        return OK
    password = _password(args.password_file)
    if password is None:
        return BAD_INPUT
    if action == "add":
        user = users.add_user(county, args.name, args.role, password)
        print(f"已新增用户 / user added: {user.name} ({user.scope.text})")
    else:
        users.set_password(county, args.name, password)
        print(f"已为 {args.name} 设置新密码，其已登录的会话全部失效 / new password set for "
              f"{args.name}; their sessions have ended")
    return OK


def _password(path: Path | None) -> str | None:
    if path is not None:
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except OSError as error:
            print(f"读不了密码文件：{error}\ncannot read the password file: {error}",
                  file=sys.stderr)
            return None
        return lines[0] if lines else ""
    first = getpass.getpass("密码 / password: ")
    if getpass.getpass("再输一次 / again: ") != first:
        print("两次输入的密码不同 / the passwords differ", file=sys.stderr)
        return None
    return first


def _login() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "county"
