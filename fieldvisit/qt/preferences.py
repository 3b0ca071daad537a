"""The laptop's own preferences (设置): paper and margins, the county server, language.

They are small facts of this store, so they live in its ``meta`` table (``store.meta``:
they travel with the database, and a reinstalled app on the same data folder keeps
them), and each change is journaled like any edit, so "who set the printer margins to
10 mm, and when" has an answer. They are this laptop's business only: the journal rows
carry ``origin`` LOCAL, which keeps them out of every sync bundle (a bundle carries own
changes, origin NULL, of the synced tables only; the county would refuse a meta row).

The server address is the key the network sync already keeps (``sync.server_url``,
``sync.network.remembered_url``), so what is set here is what 通过网络同步 uses. The
language is also saved where the app reads it before any store is open (``i18n``).

No Qt here: the settings dialog shows and asks, printing and sync read ``load``.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields

from fieldvisit.store import Store
from fieldvisit.store.journal import entry

PAPERS = ("A4", "A5")
LANGUAGES = ("zh_CN", "en")
MAX_MARGIN_MM = 30  # more would leave a 明白卡 unreadably small on A5
LOCAL = "local"  # journal origin of a change that never leaves this laptop
ENTITY = "meta"  # the journal's name for these facts

# Field -> meta key. server_url shares the key the network sync remembers it under.
KEYS = {
    "paper": "prefs.paper",
    "margin_mm": "prefs.margin_mm",
    "server_url": "sync.server_url",
    "language": "prefs.language",
    "lock_minutes": "prefs.lock_minutes",
}
MAX_LOCK_MINUTES = 120  # longer, and a laptop left on a table stays open all afternoon


class PreferenceError(ValueError):
    """A value the dialog must refuse, with the field it names (``field``) and the
    message in Chinese and English."""

    def __init__(self, field: str, zh: str, en: str) -> None:
        super().__init__(f"{zh} / {en}")
        self.field, self.zh, self.en = field, zh, en


@dataclass(frozen=True)
class Preferences:
    """What a cadre sets once: defaults for printing and sync, and the language."""

    paper: str = "A4"  # the 明白卡's paper in 批量打印 and the single-card preview
    margin_mm: int = 0  # kept clear on every side when printing (the PDF has its own)
    server_url: str = ""  # the county server for 通过网络同步
    language: str = "zh_CN"
    lock_minutes: int = 10  # the app locks after this long without a key or mouse press


DEFAULTS = Preferences()


def load(store: Store) -> Preferences:
    """The preferences in force (a fact never set, or unreadable, is its default)."""
    stored = store.meta.with_prefix("prefs.")
    url = store.meta.server_url
    paper = stored.get(KEYS["paper"], DEFAULTS.paper)
    language = stored.get(KEYS["language"], DEFAULTS.language)
    margin = _number(stored, "margin_mm")
    lock = _number(stored, "lock_minutes")
    return Preferences(
        paper=paper if paper in PAPERS else DEFAULTS.paper,
        margin_mm=min(max(margin, 0), MAX_MARGIN_MM),
        server_url=url,
        language=language if language in LANGUAGES else DEFAULTS.language,
        lock_minutes=min(max(lock, 1), MAX_LOCK_MINUTES))


def _number(stored: dict[str, str], name: str) -> int:
    default = getattr(DEFAULTS, name)
    try:
        return int(stored.get(KEYS[name], default))
    except ValueError:
        return int(default)


def check(chosen: Preferences) -> Preferences:
    """``chosen`` as it will be stored (the URL stripped), or a PreferenceError."""
    if chosen.paper not in PAPERS:
        raise PreferenceError("paper", f"纸张应为 {'、'.join(PAPERS)}", "paper must be A4 or A5")
    if not 0 <= chosen.margin_mm <= MAX_MARGIN_MM:
        raise PreferenceError("margin_mm", f"页边距应在 0 到 {MAX_MARGIN_MM} 毫米之间",
                              f"margins must be 0 to {MAX_MARGIN_MM} mm")
    if chosen.language not in LANGUAGES:
        raise PreferenceError("language", "不支持的界面语言", "unsupported language")
    if not 1 <= chosen.lock_minutes <= MAX_LOCK_MINUTES:
        raise PreferenceError("lock_minutes", f"自动锁定应在 1 到 {MAX_LOCK_MINUTES} 分钟之间",
                              f"the lock time must be 1 to {MAX_LOCK_MINUTES} minutes")
    url = chosen.server_url.strip()
    if url:
        from fieldvisit.sync.errors import SyncError
        from fieldvisit.sync.network import bundles_url

        try:
            bundles_url(url)
        except SyncError as error:
            raise PreferenceError("server_url", error.zh, error.en) from error
    return Preferences(chosen.paper, chosen.margin_mm, url, chosen.language,
                       chosen.lock_minutes)


def save(store: Store, chosen: Preferences) -> list[str]:
    """Store what changed, journaled, in one transaction; the names of the fields that
    changed (none: nothing written)."""
    chosen = check(chosen)
    before = asdict(load(store))
    wanted = asdict(chosen)
    changed = [f.name for f in fields(Preferences) if wanted[f.name] != before[f.name]]
    if not changed:
        return []
    with store.transaction() as tx:
        stamp = str(tx.clock.tick())
        rows = []
        for name in changed:
            key = KEYS[name]
            tx.meta.set(key, str(wanted[name]))
            rows.append(entry(stamp, store.actor, ENTITY, key, "value",
                              json.dumps(before[name], ensure_ascii=False),
                              json.dumps(wanted[name], ensure_ascii=False), origin=LOCAL))
        tx.journal(rows)
    return changed
