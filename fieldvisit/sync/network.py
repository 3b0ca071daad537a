"""Sync over the network: the same bundles as on a USB stick, posted to the county server.

The laptop writes its bundle to a temporary folder, posts it (``POST /api/v1/bundles``,
standard library only), and imports the return bundle the server answers with. The
bundle's signature is the laptop's authentication and its encryption protects it on the
way, so plain HTTP leaks nothing but sizes and timing. If the answer is lost, nothing
is: the next sync sends every change the county has not acknowledged again.
"""

from __future__ import annotations

import http.client
import json
import shutil
import socket
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from fieldvisit.store import Store
from fieldvisit.sync import laptop
from fieldvisit.sync.errors import SyncError

ENDPOINT = "/api/v1/bundles"
DEVICE_HEADER = "X-FieldVisit-Device"
TIMEOUT = 300.0  # the server answers only once it has applied the bundle
_BLOCK = 1 << 16


def sync_over_network(store: Store, url: str, timeout: float = TIMEOUT) -> laptop.Imported:
    """Send own changes to the county server at ``url`` and apply what it sends back.

    ``timeout`` bounds every wait on the network (connecting, each read and write), not
    the whole exchange, so a large bundle on a slow line still gets through.
    """
    endpoint = bundles_url(url)
    state = laptop.required(store.meta)  # not enrolled: the same refusal as an export
    with tempfile.TemporaryDirectory(prefix="fieldvisit-sync-") as work:
        exported = laptop.export_bundle(store, Path(work) / "out")
        returned = Path(work) / "return.fvb"
        _post(endpoint, exported.path, state.device, returned, timeout)
        imported = laptop.import_return(store, returned)
    store.meta.server_url = url.strip()
    return imported


def remembered_url(store: Store) -> str:
    """The server address of the last successful network sync ("" before the first)."""
    return store.meta.server_url


def bundles_url(url: str) -> str:
    """The upload address from the server's base address (or the full address)."""
    parts = urllib.parse.urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise SyncError("bad-url", f"服务器地址不对：“{url[:80]}”（应形如 http://县里服务器:8080）",
                        f"not a server address: {url[:80]!r} (expected like "
                        "http://county-server:8080)")
    path = parts.path.rstrip("/")
    if not path.endswith(ENDPOINT):
        path += ENDPOINT
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def _post(endpoint: str, path: Path, device: str, target: Path, timeout: float) -> None:
    host = urllib.parse.urlsplit(endpoint).netloc
    size = path.stat().st_size
    with open(path, "rb") as body:
        request = urllib.request.Request(endpoint, data=body, method="POST", headers={
            "Content-Type": "application/octet-stream", "Content-Length": str(size),
            DEVICE_HEADER: device, "Accept": "application/octet-stream"})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response, \
                    open(target, "wb") as out:
                shutil.copyfileobj(response, out, _BLOCK)
        except urllib.error.HTTPError as error:
            with error:
                raise _refused(error) from None
        except (urllib.error.URLError, OSError, http.client.HTTPException) as error:
            raise _network_error(host, size, error) from error


def _network_error(host: str, size: int, error: Exception) -> SyncError:
    reason = error.reason if isinstance(error, urllib.error.URLError) else error
    if isinstance(reason, TimeoutError):
        return _unreachable(host, "超时无响应", "timed out")
    if isinstance(reason, ConnectionRefusedError):
        return _unreachable(host, "连接被拒绝（服务器未运行，或地址、端口不对）",
                            "connection refused (the server is not running, or the address "
                            "or port is wrong)")
    if isinstance(reason, socket.gaierror):
        return _unreachable(host, "找不到这个服务器名称", "the server's name cannot be resolved")
    if isinstance(reason, ConnectionError | http.client.HTTPException):
        if size < 16 << 20:
            return _unreachable(host, "连接中断", "the connection broke off")
        # A server refusing a body it will not read (too large) closes the connection
        # while it is still being sent.
        mb = f"{size / (1 << 20):.0f} MB"
        return _unreachable(
            host, f"连接中断（同步包有 {mb}，过大时服务器会拒收）",
            f"the connection broke off (the bundle is {mb}; the server refuses one that is "
            "too large)")
    text = str(reason)[:160]
    return _unreachable(host, text, text)


def _unreachable(host: str, zh: str, en: str) -> SyncError:
    return SyncError("no-network", f"无法与县里的服务器（{host}）通信：{zh}。请检查网络后重试，"
                     "或改用 U 盘同步",
                     f"cannot talk to the county server ({host}): {en}. Check the network "
                     "and try again, or sync by USB stick")


def _refused(error: urllib.error.HTTPError) -> SyncError:
    """The server's JSON refusal (the verdict for a refused bundle) as a SyncError."""
    try:
        data = json.loads(error.read(64 * 1024))
        reason, zh, en = data["reason"], data["message_zh"], data["message_en"]
        if not all(isinstance(x, str) for x in (reason, zh, en)):
            raise TypeError(reason)
    except (OSError, ValueError, TypeError, KeyError):
        return SyncError("server-error", f"县里的服务器出错（HTTP {error.code}），请稍后重试",
                         f"the county server failed (HTTP {error.code}); try again later")
    return SyncError(reason, f"县里拒收了同步包：{zh}", f"the county refused the bundle: {en}")
