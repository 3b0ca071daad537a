"""The command line's side of login: where a password comes from, and ``cadre …``.

A password is asked on the terminal; scripts and tests give it with ``--password-file``
or FIELDVISIT_PASSWORD (never as an argument: it would sit in the shell's history and in
the process list). A command without one, and no terminal to ask on, fails with one
clear line and exit code 2, like every expected failure.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path

from nacl.signing import SigningKey

from fieldvisit import paths
from fieldvisit.vault import folder as vault_folder
from fieldvisit.vault import recovery
from fieldvisit.vault.folder import Login, Unlocked
from fieldvisit.vault.slots import KeySlots, VaultError

PASSWORD_ENV = "FIELDVISIT_PASSWORD"
NEW_PASSWORD_ENV = "FIELDVISIT_NEW_PASSWORD"
CADRE_ENV = "FIELDVISIT_CADRE"
PHONE_ENV = "FIELDVISIT_PHONE"
HELP = "干部登录：列出、添加、改密码、找回 / cadres: list, add, change or recover a password"


def login(args: argparse.Namespace, folder: Path) -> Login:
    """Who logs in to ``folder``, and with what password, from the options and the
    environment, asking on the terminal only when neither says."""
    cadre = getattr(args, "cadre", None) or os.environ.get(CADRE_ENV) or None
    first = vault_folder.state(folder) != vault_folder.LOCKED
    password = _password(getattr(args, "password_file", None), PASSWORD_ENV,
                         "设置密码 / new password: " if first else "密码 / password: ",
                         confirm=first)
    return Login(cadre, password, os.environ.get(PHONE_ENV, ""))


def given_login(args: argparse.Namespace) -> Login | None:
    """The login the options or the environment give, without asking (the app asks in
    its own dialog); None when they give no password."""
    path = getattr(args, "password_file", None)
    if path is None and not os.environ.get(PASSWORD_ENV):
        return None
    return Login(getattr(args, "cadre", None) or os.environ.get(CADRE_ENV) or None,
                 _password(path, PASSWORD_ENV, "", confirm=False),
                 os.environ.get(PHONE_ENV, ""))


def open_laptop(args: argparse.Namespace, data_dir: str | os.PathLike[str] | None,
                *, create: bool = True) -> Unlocked:
    folder = paths.data_dir(data_dir)
    return vault_folder.open_folder(folder, login(args, folder), create=create)


def _password(path: Path | None, env: str, prompt: str, *, confirm: bool) -> str:
    if path is not None:
        try:
            lines = Path(path).read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as error:
            raise VaultError(f"无法读取密码文件 {path}", f"cannot read the password file "
                             f"{path}") from error
        return lines[0] if lines else ""
    if os.environ.get(env):
        return os.environ[env]
    if not sys.stdin.isatty():
        raise VaultError(f"需要密码：请在终端运行，或用 --password-file、{env} 给出",
                         f"a password is needed: run in a terminal, or give it with "
                         f"--password-file or {env}")
    given = getpass.getpass(prompt)
    if confirm and getpass.getpass("再输一遍 / again: ") != given:
        raise VaultError("两次输入的密码不一样", "the two passwords differ")
    return given


# ---- cadre … ---------------------------------------------------------------------------

def add_parser(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("cadre", help=HELP)
    actions = parser.add_subparsers(dest="cadre_command", required=True)
    actions.add_parser("list", help="本机的干部 / the cadres of this laptop")
    add = actions.add_parser("add", help="添加一位干部（新密码：FIELDVISIT_NEW_PASSWORD 或终端）"
                             " / add a cadre (new password: FIELDVISIT_NEW_PASSWORD or asked)")
    add.add_argument("name")
    add.add_argument("--phone", default="")
    passwd = actions.add_parser("passwd", help="改密码 / change a password")
    passwd.add_argument("name", nargs="?", help="默认：登录的干部 / default: who logs in")
    ask = actions.add_parser("recover-request", help="忘记密码：写出给县里的找回申请 / forgot "
                             "the password: write the request for the county")
    ask.add_argument("-o", "--output", type=Path, required=True)
    back = actions.add_parser("recover", help="用县里的答复和电话告知的找回码设新密码 / set a new "
                              "password with the county's answer and the code given by phone")
    back.add_argument("answer", type=Path)
    back.add_argument("--code", required=True)


def run(args: argparse.Namespace) -> int:
    folder = paths.data_dir(args.data_dir)
    command = args.cadre_command
    if command in ("recover-request", "recover"):
        return _recover(args, folder)
    unlocked = vault_folder.open_folder(folder, login(args, folder), create=False)
    try:
        if command == "list":
            for cadre in unlocked.slots.cadres():
                mark = " *" if cadre.id == unlocked.cadre.id else ""
                print(f"{cadre.name}\t{unlocked.slots.phone(unlocked.data_key, cadre.id)}{mark}")
            return 0
        new = _password(None, NEW_PASSWORD_ENV, "新密码 / new password: ", confirm=True)
        if command == "add":
            added = unlocked.put_cadre(args.name, args.phone, new)
            print(f"已添加干部 / cadre added: {added.name}")
        else:
            changed = unlocked.change_password(args.name or unlocked.cadre.id, new)
            print(f"已改密码 / password changed: {changed.name}")
        return 0
    finally:
        unlocked.store.close()


def _recover(args: argparse.Namespace, folder: Path) -> int:
    slots = KeySlots.required(folder)
    if args.cadre_command == "recover-request":
        args.output.write_bytes(recovery.request(slots))
        print(f"找回申请已写出，请交给县里 / request written, take it to the county: "
              f"{args.output}")
        return 0
    data_key = recovery.accept(slots, recovery.read_file(args.answer), args.code)
    cadre = slots.cadre(getattr(args, "cadre", None) or os.environ.get(CADRE_ENV) or None)
    new = _password(None, NEW_PASSWORD_ENV, "新密码 / new password: ", confirm=True)
    unlocked = vault_folder.recovered(folder, slots, data_key, cadre["id"])
    try:
        changed = unlocked.change_password(cadre["id"], new)
    finally:
        unlocked.store.close()
    print(f"已由县里找回并设新密码 / recovered by the county, new password set: {changed.name}")
    return 0


def answer_request(request: Path, output: Path, county_key: SigningKey) -> str:
    """The county's side (``fieldvisit recover``): writes the answer, returns the code."""
    content, code = recovery.answer(recovery.read_file(request), county_key)
    output.write_bytes(content)
    return code
