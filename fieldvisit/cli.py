"""Command line: thin commands over the same core functions the app calls.

A village is asked for by code or name in every command (``roster.villages.find``);
``villages`` lists and fixes them (fieldvisit.roster.commands).

``sync …`` and ``bundle inspect`` are the laptop's (fieldvisit.sync.commands), ``server …``
the county's (fieldvisit.server.commands).

Exit codes for imports: 0 clean, 1 imported (or would import) with rejected rows,
2 failed (nothing imported). Every expected failure is a ``FieldVisitError``, caught here
once for every command: its Chinese and English go to stderr and the exit code is 2. A
traceback therefore means a bug, never a wrong file or a mistyped code.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from fieldvisit import __version__, paths
from fieldvisit.errors import FieldVisitError

if TYPE_CHECKING:
    from fieldvisit.store import Store

DEMO_HOUSEHOLDS = 200
DEMO_CADRE, DEMO_PASSWORD = "演示干部", "demo-village-2026"  # synthetic people: no secret
FAILED = 2  # an expected failure: told in both languages, nothing half done
EVERY = "*"  # build_parser(EVERY): every command's own options (imports every package)

_Commands = argparse._SubParsersAction  # what add_subparsers returns


# Commands the packages define themselves. Their modules import most of the program
# (the store, SQLAlchemy, reportlab …), so only the one of the command being run is
# imported: `fieldvisit --help` and `sync status` do not pay for `cards`. Each command's
# help is repeated here for the overview; tests/test_cli_startup.py checks it against the
# module's own.
def _villages(commands: _Commands) -> None:
    from fieldvisit.roster import commands as villages_commands

    villages_commands.add_villages_parser(commands)


def _forms(commands: _Commands) -> None:
    from fieldvisit.checklist import commands as forms_commands

    forms_commands.add_parser(commands)


def _visits(commands: _Commands) -> None:
    from fieldvisit.visits import commands as visits_commands

    visits_commands.add_parser(commands)


def _cards(commands: _Commands) -> None:
    from fieldvisit.cards import commands as cards_commands

    cards_commands.add_parser(commands)


def _card(commands: _Commands) -> None:
    from fieldvisit.cards import signing as card_commands

    card_commands.add_parser(commands)


def _helpers(commands: _Commands) -> None:
    from fieldvisit.roster import helper_commands

    helper_commands.add_parser(commands)


def _monitor(commands: _Commands) -> None:
    from fieldvisit.monitoring import commands as monitor_commands

    monitor_commands.add_parser(commands)


def _quality(commands: _Commands) -> None:
    from fieldvisit.quality import commands as quality_commands

    quality_commands.add_parser(commands)


def _sync(commands: _Commands) -> None:
    from fieldvisit.sync import commands as sync_commands

    sync_commands.add_parser(commands)  # sync …, bundle inspect


def _server(commands: _Commands) -> None:
    from fieldvisit.server import commands as server_commands

    server_commands.add_parser(commands)  # server …


def _cadre(commands: _Commands) -> None:
    from fieldvisit.vault import backup
    from fieldvisit.vault import commands as vault_commands

    vault_commands.add_parser(commands)
    backup.add_parser(commands)
    recover = commands.add_parser("recover", help="（县里）答复干部的找回密码申请 / (county) "
                                  "answer a cadre's password recovery request")
    recover.add_argument("request", type=Path)
    recover.add_argument("-o", "--output", type=Path, required=True)


PACKAGE_COMMANDS: tuple[tuple[Callable[[_Commands], None], tuple[tuple[str, str], ...]], ...] = (
    (_villages, (("villages", "行政村：列出、补代码、改名、合并 / villages: list, set code, "
                              "rename, merge"),)),
    (_helpers, (("helpers", "帮扶责任人：列出、指派、历史 / helpers: list, assign, history"),)),
    (_quality, (("quality", "数据质量：列出问题、核实无误 / data quality: list, dismiss as "
                            "checked"),)),
    (_forms, (("forms", "走访清单表单 / checklist forms"),)),
    (_visits, (("visits", "走访记录 / visits"),)),
    (_cards, (("cards", "打印明白卡（PDF） / household cards as PDF"),
              ("records", "打印走访记录表（PDF） / visit records as PDF"),
              ("report", "打印村级汇总报告（PDF） / village summary report as PDF"),
              ("handbook", "打印扶贫手册（PDF） / a household's handbook as PDF"))),
    (_card, (("card", "明白卡二维码 / card QR codes"),)),
    (_monitor, (("monitor", "防返贫监测程序 / the monitoring procedure"),)),
    (_sync, (("sync", "用U盘与县里同步 / sync with the county by USB stick"),
             ("bundle", "同步包工具 / bundle tools"))),
    (_server, (("server", "县级服务器 / the county server"),)),
    (_cadre, (("cadre", "干部登录：列出、添加、改密码、找回 / cadres: list, add, change or "
                        "recover a password"),
              ("backup", "加密备份：创建、恢复 / encrypted backups: create, restore"),
              ("recover", "（县里）答复干部的找回密码申请 / (county) answer a cadre's password "
                          "recovery request"))),
)


def build_parser(command: str | None = EVERY) -> argparse.ArgumentParser:
    """The command line's parser, with the options of ``command`` (a command's name, as
    ``command_of`` finds it in argv) or of every command (``EVERY``); the others are
    listed with their help and parse nothing."""
    parser = argparse.ArgumentParser(prog="fieldvisit", description="驻村走访 FieldVisit")
    parser.add_argument("--version", action="version", version=f"fieldvisit {__version__}",
                        help="显示版本后退出 / print the version and exit")
    parser.add_argument("--data-dir", help="数据目录 / data folder (default: FIELDVISIT_HOME "
                        "or the platform's user data folder)")
    add_login_options(parser)
    commands = parser.add_subparsers(dest="command")

    app = commands.add_parser("app", help="打开程序 / open the app (the default)")
    app.add_argument("--demo", action="store_true",
                     help="在演示村上打开（首次自动生成） / open on the demo village")
    app.add_argument("--lang", choices=("zh_CN", "en"), help="界面语言 / UI language")
    app.add_argument("--smoke", action="store_true",
                     help="显示花名册后退出（打包自检） / show the roster, then exit (self-test)")
    app.add_argument("file", nargs="?", type=Path, help="打开县里的注册文件（.fve）或回执包"
                     "（.fvb） / open the county's enrollment file (.fve) or return bundle (.fvb)")

    diagnostics = commands.add_parser(
        "diagnostics", help="导出诊断信息（不含个人信息），交给县里 / export diagnostics (no "
        "personal data) for the county")
    diagnostics.add_argument("-o", "--output", type=Path, required=True)

    demo = commands.add_parser("demo", help="生成演示村 / generate a demo village")
    demo.add_argument("--households", type=int, default=DEMO_HOUSEHOLDS)
    demo.add_argument("--seed", type=int, default=7)

    roster = commands.add_parser("roster", help="花名册导入导出 / roster import and export")
    roster_commands = roster.add_subparsers(dest="roster_command", required=True)
    imp = roster_commands.add_parser("import", help="导入县级花名册 / import a county roster")
    imp.add_argument("file", type=Path)
    imp.add_argument("--village", help="未填行政村的行归入此村（村代码或村名） / the village "
                     "of rows that name none (code or name)")
    imp.add_argument("--dry-run", action="store_true", help="只检查不导入 / check only")
    imp.add_argument("--confirm-moves", action="store_true",
                     help="执行报告所列的换村 / apply the village moves the report lists")
    imp.add_argument("--json", action="store_true", help="机器可读报告 / JSON report")
    exp = roster_commands.add_parser("export", help="导出花名册 / export the roster (xlsx)")
    exp.add_argument("file", type=Path)
    exp.add_argument("--village", help="只导出该村（村代码或村名） / only this village "
                     "(code or name)")

    for add, named in PACKAGE_COMMANDS:
        if command == EVERY or any(name == command for name, _help in named):
            add(commands)
        else:
            for name, text in named:
                commands.add_parser(name, help=text)
    return parser


def add_login_options(parser: argparse.ArgumentParser) -> None:
    """Who logs in, for every laptop command (fieldvisit.vault.commands reads them)."""
    parser.add_argument("--cadre", help="登录的干部（默认：FIELDVISIT_CADRE，或本机唯一的一位） / "
                        "the cadre logging in (default: FIELDVISIT_CADRE or the only one)")
    parser.add_argument("--password-file", type=Path, help="从文件第一行读密码（默认："
                        "FIELDVISIT_PASSWORD，或在终端询问） / read the password from a file's "
                        "first line (default: FIELDVISIT_PASSWORD, or asked on the terminal)")


def command_of(argv: Sequence[str]) -> str | None:
    """The command ``argv`` names (None: none, the app), read the way the whole parser
    will read it: after the global options."""
    peek = argparse.ArgumentParser(add_help=False)
    peek.add_argument("--data-dir")
    add_login_options(peek)
    peek.add_argument("command", nargs="?")
    try:
        known, _rest = peek.parse_known_args(argv)
    except SystemExit:  # e.g. --data-dir without its folder: the real parser says so
        return None
    return known.command


def main(argv: Sequence[str] | None = None) -> int:
    arguments = sys.argv[1:] if argv is None else list(argv)
    args = build_parser(command_of(arguments)).parse_args(arguments)
    try:
        return _dispatch(args)
    except FieldVisitError as error:
        print(f"{error.zh}\n{error.en}", file=sys.stderr)
        return FAILED


def _dispatch(args: argparse.Namespace) -> int:
    command = args.command or "app"
    if command == "app":
        return _run_app(args)
    if command == "demo":
        return _demo(args)
    if command == "diagnostics":
        from fieldvisit import diagnostics

        written = diagnostics.write(open_store(args), args.output)
        print(f"诊断信息已写出 / diagnostics written: {written}")
        return 0
    if command == "roster":
        from fieldvisit.roster import commands

        return commands.run(args, open_store(args))
    if command == "villages":
        from fieldvisit.roster import commands

        return commands.run_villages(args, open_store(args))
    if command == "helpers":
        from fieldvisit.roster import helper_commands

        return helper_commands.run(args, open_store(args))
    if command == "monitor":
        from fieldvisit.monitoring import commands as monitor_commands

        return monitor_commands.run(args, open_store(args))
    if command == "quality":
        from fieldvisit.quality import commands as quality_commands

        return quality_commands.run(args, open_store(args))
    if command == "forms":
        from fieldvisit.checklist import commands as forms_commands

        return forms_commands.run(args)
    if command == "visits":
        from fieldvisit.visits import commands as visits_commands

        return visits_commands.run(args, open_store(args))
    if command in ("cards", "records", "report", "handbook"):
        from fieldvisit.cards import commands as cards_commands

        return cards_commands.run(args, open_store(args))
    if command == "card":
        from fieldvisit.cards import signing as card_commands

        return card_commands.run(args, open_store(args))
    if command == "sync":
        from fieldvisit.sync import commands as sync_commands
        from fieldvisit.vault import commands as vault_commands
        from fieldvisit.vault.folder import seal_for_county

        unlocked = vault_commands.open_laptop(args, args.data_dir)
        code = sync_commands.run(args, unlocked.store)
        seal_for_county(unlocked)  # `sync enroll` has just brought the county's key
        return code
    if command == "bundle":
        from fieldvisit.sync import commands as sync_commands

        return sync_commands.inspect(args)
    if command == "server":
        from fieldvisit.server import commands as server_commands

        return server_commands.run(args)
    if command == "cadre":
        from fieldvisit.vault import commands as vault_commands

        return vault_commands.run(args)
    if command == "backup":
        from fieldvisit.vault import backup

        return backup.run(args)
    if command == "recover":
        return _recover(args)
    raise AssertionError(command)


def open_store(args: argparse.Namespace, data_dir: str | os.PathLike[str] | None = None
               ) -> Store:
    """The data folder's store: the county server's when it is one (its key file, or
    FIELDVISIT_DATABASE_URL naming its database: roster imports and monitoring steps run
    there too), else the laptop's, unlocked for the cadre the options name (made if new)."""
    from fieldvisit.county.office import DATABASE_ENV, KEY_FILE, County
    from fieldvisit.vault import commands as vault_commands

    folder = data_dir or args.data_dir
    if os.environ.get(DATABASE_ENV) or (paths.data_dir(folder) / KEY_FILE).is_file():
        return County.open(folder).store
    return vault_commands.open_laptop(args, folder).store


def _recover(args: argparse.Namespace) -> int:
    from fieldvisit.county.office import County
    from fieldvisit.vault import commands as vault_commands

    county = County.open(args.data_dir)
    try:
        code = vault_commands.answer_request(args.request, args.output, county.key)
    finally:
        county.close()
    print(f"答复已写出 / answer written: {args.output}\n找回码（请电话告知干部，只显示这一次） / "
          f"recovery code (tell the cadre by phone; shown once): {code}")
    return 0


def demo_data_dir(data_dir: str | None) -> Path:
    return paths.data_dir(data_dir) / "demo"


def ensure_demo(store: Store, households: int = DEMO_HOUSEHOLDS, seed: int = 7) -> bool:
    """Fill an empty store with the demo village; False when it already holds households."""
    from fieldvisit import demo
    from fieldvisit.roster import queries

    with store.reading() as conn:
        if queries.household_count(conn):
            return False
    demo.populate(store, households, seed)
    return True


def _demo(args: argparse.Namespace) -> int:
    store = open_store(args)
    if not ensure_demo(store, args.households, args.seed):
        print("该数据目录已有花名册，未生成演示数据；请用 --data-dir 指定一个新目录。\n"
              "This data folder already holds a roster; choose a new one with --data-dir.",
              file=sys.stderr)
        return FAILED
    print(f"已生成演示村 / demo village written: {args.households} 户 → {store.folder}")
    return 0


def _run_app(args: argparse.Namespace) -> int:
    """The app: the login dialog, unless the password is given (FIELDVISIT_PASSWORD or
    --password-file, as the smoke test and scripts do). The demo village is made on first
    use for its demo cadre, whose password the dialog fills in."""
    from fieldvisit.vault import commands as vault_commands
    from fieldvisit.vault.folder import Login, Unlocked, open_folder

    folder = paths.data_dir(demo_data_dir(args.data_dir) if args.demo else args.data_dir)
    given = vault_commands.given_login(args)
    demo = Login(DEMO_CADRE, DEMO_PASSWORD) if args.demo else None
    if demo is not None:
        made = open_folder(folder, given or demo)
        ensure_demo(made.store)
        made.store.close()
    from fieldvisit.qt.app import start

    if args.smoke and given is None:
        given = demo  # the self-test has nobody to type a password

    def make_demo() -> Unlocked:  # the first-run wizard's 演示: as `app --demo` does
        made = open_folder(paths.data_dir(demo_data_dir(args.data_dir)),
                           Login(DEMO_CADRE, DEMO_PASSWORD))
        ensure_demo(made.store)
        return made

    return start(folder, given, demo=demo, lang=args.lang, smoke=args.smoke,
                 make_demo=make_demo, opened=args.file)
