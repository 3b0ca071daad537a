"""Access tokens for county staff using the server's HTTP API (devices, conflicts,
received bundles). Laptops need none: a bundle's signature by the device's registered
key is its authentication.

A token is shown once, when it is created; the county store keeps only its SHA-256 in
``meta`` (key ``token.<first 40 hex digits>``, value the staff member's name and when),
so a copy of the database does not hand out working tokens. Tokens are random 256-bit
strings, so a plain hash is enough (there is no password to guess offline).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import secrets
import sys
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from fieldvisit.sync.errors import SyncError

if TYPE_CHECKING:  # the CLI builds its parser from here at every start: no Alembic then
    from fieldvisit.county.office import County
    from fieldvisit.county.scope import Scope

PREFIX = "fvt_"
_KEY = "token."
MAX_NAME = 64


def create_token(county: County, name: str, role: str = "county") -> str:
    """A new token for ``name`` (who holds it; recorded as the decider of conflicts) with
    the scope of ``role`` (``county``, ``township:CODE`` or ``village:CODE``, as users)."""
    from fieldvisit.county.scope import Scope

    scope = Scope.parse(role)
    name = name.strip()
    if not name or len(name) > MAX_NAME:
        raise SyncError("bad-name", f"令牌名称须为 1–{MAX_NAME} 个字符",
                        f"a token name must be 1–{MAX_NAME} characters")
    token = PREFIX + secrets.token_urlsafe(32)
    created = datetime.now(UTC).isoformat(timespec="seconds")
    county.store.meta.set(_key(token), json.dumps({"name": name, "created": created,
                                                    "role": scope.text}, ensure_ascii=False))
    return token


def check_token(county: County, token: str) -> str | None:
    """The name a token was created for, or None for an unknown or malformed token."""
    found = token_holder(county, token)
    return found[0] if found else None


def token_holder(county: County, token: str) -> tuple[str, Scope] | None:
    """Who holds a token and its scope (tokens made before scopes are the county's)."""
    from fieldvisit.county.scope import Scope

    if not token.startswith(PREFIX) or len(token) > 200:
        return None
    value = county.store.meta.get(_key(token))
    if not value:
        return None
    item = json.loads(value)
    return item["name"], Scope.parse(item.get("role", "county"))


def tokens(county: County) -> list[dict[str, str]]:
    """Every token's name, creation time and role (never the token)."""
    values = county.store.meta.with_prefix(_KEY).values()
    return sorted((json.loads(value) for value in values),
                  key=lambda item: (item["name"], item["created"]))


def revoke_tokens(county: County, name: str) -> int:
    """Remove every token created for ``name``; how many there were."""
    with county.store.transaction() as tx:
        keys = [key for key, value in tx.meta.with_prefix(_KEY).items()
                if json.loads(value)["name"] == name]
        tx.meta.delete(keys)
    return len(keys)


def _key(token: str) -> str:
    return _KEY + hashlib.sha256(token.encode()).hexdigest()[:40]


# ---- ``fieldvisit server token NAME [--revoke]`` ------------------------------------------

def add_parser(commands: argparse._SubParsersAction) -> None:
    token = commands.add_parser(
        "token", help="为县里工作人员生成网页接口的访问令牌 / create an access token for "
        "county staff (web API)")
    token.add_argument("name", help="令牌持有人，裁定冲突时记为裁定人 / who holds it "
                       "(recorded as the decider of conflicts)")
    token.add_argument("--role", default="county",
                       help="令牌的范围：county、township:乡镇代码 或 village:村代码 / the "
                       "token's scope: county, township:CODE or village:CODE")
    token.add_argument("--revoke", action="store_true",
                       help="作废此人的全部令牌 / revoke every token of NAME")


def command(args: argparse.Namespace, county: County) -> int:
    """The token alone on stdout (for scripts), what to do with it on stderr."""
    if args.revoke:
        count = revoke_tokens(county, args.name)
        print(f"已作废 {args.name} 的 {count} 个令牌 / revoked {count} token(s) of "
              f"{args.name}", file=sys.stderr)
        return 0 if count else 2
    token = create_token(county, args.name, args.role)
    print(f"{args.name} 的访问令牌（只显示这一次，县里只保存它的散列值）/ access token for "
          f"{args.name} (shown only this once; the county keeps only its hash).\n"
          "请求时加标头 / send it as: Authorization: Bearer <令牌/token>", file=sys.stderr)
    print(token)
    return 0
