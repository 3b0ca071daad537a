"""The village laptop's sync commands, and ``bundle inspect`` for any bundle file:

``fieldvisit sync enroll FILE --code CODE``  set up from the county's ``.fve`` file
``fieldvisit sync export --to DIR``           own changes → a bundle on the USB stick
``fieldvisit sync import FILE``               the county's return bundle
``fieldvisit sync status``
``fieldvisit bundle inspect FILE``            the clear header and the signature; no key

Exit codes: 0 done, 1 refused (a wrong code, a tampered, foreign or misaddressed
bundle, not enrolled …), 2 bad input (no such file). Messages are Chinese, then English.
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from nacl.signing import VerifyKey

from fieldvisit.errors import FieldVisitError
from fieldvisit.sync.errors import SyncError

# The store (and SQLAlchemy under it) is imported by the commands that open one, not by
# `bundle inspect`, which reads a file (docs/performance.md, "Command-line start-up").
if TYPE_CHECKING:
    from fieldvisit.store import Store
    from fieldvisit.sync.bundle import Opened
    from fieldvisit.sync.laptop import Imported

OK, REFUSED, BAD_INPUT = 0, 1, 2

KIND_NAMES = {
    "device": ("村里电脑发往县里的同步包", "a laptop's bundle for the county"),
    "return": ("县里发回村里电脑的回执包", "the county's return bundle for one laptop"),
    "enrollment": ("县里发给新电脑的注册文件", "the county's enrollment file for a new laptop"),
}


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    sync = commands.add_parser("sync", help="用U盘与县里同步 / sync with the county by USB stick")
    sync_commands = sync.add_subparsers(dest="sync_command", required=True)
    enroll = sync_commands.add_parser(
        "enroll", help="用县里的注册文件和激活码注册本机 / enroll this laptop (.fve + code)")
    enroll.add_argument("file", type=Path, help="注册文件 / enrollment file (.fve)")
    enroll.add_argument("--code", required=True,
                        help="县里电话告知的激活码 / the activation code the county gave by phone")
    export = sync_commands.add_parser(
        "export", help="把本机的修改导出到U盘 / write own changes to a bundle")
    export.add_argument("--to", type=Path, required=True, metavar="DIR",
                        help="U盘上的文件夹 / folder on the USB stick")
    imp = sync_commands.add_parser("import", help="导入县里的回执包 / import a return bundle")
    imp.add_argument("file", type=Path, help="回执包 / return bundle (.fvb)")
    online = sync_commands.add_parser(
        "online", help="有网络时直接与县里服务器同步 / sync with the county server over the "
        "network (the same bundle, POSTed; the answer is the return bundle)")
    online.add_argument("--server", required=True, metavar="URL",
                        help="县里服务器地址 / the county server, e.g. https://fv.county.gov.cn")
    sync_commands.add_parser("status", help="本机同步状态 / this laptop's sync state")

    tools = commands.add_parser("bundle", help="同步包工具 / bundle tools")
    tool_commands = tools.add_subparsers(dest="bundle_command", required=True)
    inspect = tool_commands.add_parser(
        "inspect", help="查看同步包标头并核对签名（不解密） / show a bundle's header and check "
        "its signature (no decryption)")
    inspect.add_argument("file", type=Path, help="同步包 / bundle (.fvb or .fve)")


def run(args: argparse.Namespace, store: Store) -> int:
    command = {"enroll": _enroll, "export": _export, "import": _import,
               "online": _online, "status": _status}[args.sync_command]
    if args.sync_command in ("enroll", "import") and not args.file.is_file():
        return _no_file(args.file)
    try:
        return command(args, store)
    except FieldVisitError as error:  # a refusal, or a key file the store disowns
        return refused(error)


def refused(error: FieldVisitError) -> int:
    print(f"{error.zh}\n{error.en}", file=sys.stderr)
    return BAD_INPUT if error.reason == "unreadable" else REFUSED


def _no_file(path: Path) -> int:
    print(f"找不到文件：{path}\nno such file: {path}", file=sys.stderr)
    return BAD_INPUT


# ---- laptop ----------------------------------------------------------------------------

def _enroll(args: argparse.Namespace, store: Store) -> int:
    from sqlalchemy import func, select

    from fieldvisit.store.models import Household
    from fieldvisit.sync import laptop

    enrolled = laptop.enroll(store, args.file, args.code)
    with store.reading() as conn:
        households = conn.execute(select(func.count()).select_from(Household)).scalar_one()
    print(f"本机已注册 / enrolled: 设备 / device {enrolled.device}，村 / village "
          f"{enrolled.village}，县 / county {enrolled.county}")
    print(f"已导入本村花名册 {households} 户 / the village roster is here: {households} "
          f"households")
    print("下一步：正常走访、录入；要同步时运行 fieldvisit sync export --to U盘文件夹。\n"
          "Next: visit and record as usual; to sync, run `fieldvisit sync export --to "
          "<folder on the USB stick>`.")
    return OK


def _export(args: argparse.Namespace, store: Store) -> int:
    from fieldvisit.sync import laptop

    try:
        exported = laptop.export_bundle(store, args.to)
    except OSError as error:
        print(f"无法写入“{args.to}”：{error.strerror}\ncannot write to '{args.to}': "
              f"{error.strerror}", file=sys.stderr)
        return BAD_INPUT
    print(f"已写入同步包 / bundle written: {exported.path}")
    print(f"  {exported.changes} 条修改，{exported.attachments} 张照片 / "
          f"{exported.changes} changes, {exported.attachments} photos")
    if not exported.changes:
        print("  没有新的修改：这个包只向县里报到并取回新的数据。 / no new changes: this bundle "
              "only checks in with the county and asks for news.")
    print("下一步：请把U盘交到县里（或乡镇）导入；县里会写一个回执包到U盘上，拿回来后运行\n"
          "  fieldvisit sync import 回执包.fvb\n"
          "Next: take the USB stick to the county (or township) office to import it; they "
          "write a return bundle onto it; back here, run `fieldvisit sync import FILE`.")
    return OK


def _import(args: argparse.Namespace, store: Store) -> int:
    from fieldvisit.sync import laptop

    imported = laptop.import_return(store, args.file)
    print(f"已导入回执包 / return bundle imported: {args.file.name}")
    return _imported(store, imported)


def _online(args: argparse.Namespace, store: Store) -> int:
    from fieldvisit.sync import network

    imported = network.sync_over_network(store, args.server)
    print(f"已与县里服务器同步 / synced with the county server: {args.server}")
    return _imported(store, imported)


def _imported(store: Store, imported: Imported) -> int:
    """What a return bundle brought, however it came."""
    from fieldvisit.sync import laptop

    applied = imported.applied
    print(f"  新增 {applied.inserted} 条记录，更新 {applied.updated} 个字段，"
          f"{applied.skipped} 条无须改动 / {applied.inserted} rows added, {applied.updated} "
          f"fields updated, {applied.skipped} already as sent")
    if applied.by_entity:
        counts = "，".join(f"{entity} {n}" for entity, n in sorted(applied.by_entity.items()))
        print(f"  按类别 / by kind: {counts}")
    print(f"  县里已收到本机修改至第 {imported.acked} 条 / the county has received this "
          f"laptop's changes up to #{imported.acked}")
    if imported.kept_local:
        print(f"  保留本机尚未被县里确认的修改 {imported.kept_local} 处；县里的结果随下一个回执包"
              f"到达。 / {imported.kept_local} local edits kept (not yet acknowledged by the "
              f"county); its outcome comes with the next return bundle.")
    pending = laptop.unacknowledged(store)
    if pending:
        print(f"还有 {pending} 条本机修改等县里确认：下次去县里时再导出一次。 / {pending} own "
              f"changes still wait for the county: export again before the next trip.")
    return OK


def _status(args: argparse.Namespace, store: Store) -> int:
    from fieldvisit.sync import laptop

    meta = store.meta
    state = laptop.enrollment(meta)
    if state is None:
        print("本机尚未注册到县里：请用 fieldvisit sync enroll 文件.fve --code 激活码\n"
              "not enrolled with a county yet: run `fieldvisit sync enroll FILE.fve "
              "--code CODE`")
        return OK
    acked, return_seq, prev_hash = meta.sync_acked, meta.sync_return_seq, meta.sync_prev_hash
    county_name = meta.sync_county_name
    pending = laptop.unacknowledged(store)
    activated = ("已激活 / active" if state.activated else
                 "待激活：首个同步包尚未被县里确认 / pending: no receipt for a first bundle yet")
    print("本机已注册 / enrolled")
    print(f"  设备 / device: {state.device}（{activated}）")
    print(f"  县 / county: {state.county} {county_name}".rstrip())
    print(f"  村 / village: {state.village}")
    print(f"  待县里确认的本机修改 / own changes not yet acknowledged: {pending}"
          f"（已确认至 / acknowledged up to #{acked}）")
    print(f"  已导入县里修改至 / county changes applied up to: #{return_seq}")
    if prev_hash:
        print(f"  上一个导出的包 / last bundle written: SHA-256 {prev_hash[:16]}…")
    return OK



# ---- bundle inspect --------------------------------------------------------------------

def inspect(args: argparse.Namespace) -> int:
    """Print the header and check the signature against the key the header names."""
    from fieldvisit.sync import bundle
    from fieldvisit.sync.keys import unb64

    path: Path = args.file
    if not path.is_file():
        return _no_file(path)
    try:
        opened = bundle.read_header(path)
    except SyncError as error:
        return refused(error)
    header = opened.header
    for label, value in _header_lines(opened):
        print(f"{label}: {value}")
    try:  # the header parser has checked the key is 32 bytes of base64
        bundle.verify_file(path, VerifyKey(unb64(header.sender_key)))
    except SyncError as error:
        return refused(error)
    print("签名 / signature: 有效——文件自签名后未被改动 / valid: the file is unchanged since it "
          "was signed")
    if header.kind == "device":
        print("注意：这个公钥是设备在标头里自己声明的，签名有效不证明是哪台设备所发；县里导入时会"
              "对照登记的公钥（首次同步则核对激活证明）。\n"
              "Note: a device bundle's key is only self-declared in its header, so a valid "
              "signature does not prove which laptop sent it; the county checks it against "
              "the registered key (or, for a first bundle, the activation proof).")
    elif header.kind == "return":
        print("注意：公钥取自标头；村里电脑导入时对照注册时得到的县里公钥核对。\n"
              "Note: the key is the header's; a laptop checks a return bundle against the "
              "county key it received at enrollment.")
    else:
        print("注意：公钥取自标头；注册时，激活码解开的内容中也载有县里公钥，两者必须一致。\n"
              "Note: the key is the header's; at enrollment the content opened by the "
              "activation code carries the county key as well, and the two must agree.")
    return OK


def _header_lines(opened: Opened) -> list[tuple[str, str]]:
    header = opened.header
    zh, en = KIND_NAMES[header.kind]
    if header.sealed_key:
        body_key = "用接收方公钥封装 / sealed to the recipient's key"
    elif header.salt:
        body_key = ("由激活码派生（Argon2id，盐 / salt " + header.salt + "） / derived from "
                    "the activation code")
    else:
        body_key = "无 / none"
    lines = [
        ("文件 / file", str(opened.path)),
        ("SHA-256", opened.sha256),
        ("类型 / kind", f"{header.kind}（{zh} / {en}）"),
        ("包编号 / bundle id", header.bundle_id),
        ("发送方 / sender", header.sender),
        ("接收方 / recipient", header.recipient),
        ("县 / county", header.county or "-"),
        ("村 / village", header.village),
        ("修改范围 / changes", f"第 {header.since} 条之后至第 {header.upto} 条，共 "
                               f"{header.changes} 条 / after #{header.since} up to "
                               f"#{header.upto}: {header.changes}"),
        ("附件 / attachments", str(header.attachments)),
        ("上一个包 / previous bundle", header.prev_hash or "-"),
        ("创建时间 / created", f"{_clock_time(header.created)}（{header.created}）"),
        ("发送方公钥 / sender key", header.sender_key),
        ("加密内容 / encrypted body", f"{header.body_size} 字节 / bytes"),
        ("内容密钥 / body key", body_key),
    ]
    if header.kind == "device":
        lines.append(("激活证明 / activation proof",
                      "有（首次同步） / present (first bundle)" if header.activation
                      else "无 / none"))
    for key, value in sorted(header.extra.items()):
        lines.append((f"其他 / extra {key}", str(value)))
    return lines


def _clock_time(stamp: str) -> str:
    """A hybrid-logical-clock stamp's wall time, local, to the second. The stamp is
    store.clock.Timestamp's text, millis first (read here without importing the store)."""
    try:
        millis = int(stamp.split("-", 1)[0])
        return datetime.fromtimestamp(millis / 1000).strftime("%Y-%m-%d %H:%M:%S")
    except (ValueError, OverflowError, OSError):
        return "?"
