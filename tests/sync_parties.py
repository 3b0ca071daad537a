"""A county server and village laptops for sync tests: real stores on disk, real keys,
real bundle files passed through a folder standing in for the USB stick."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from fieldvisit import demo
from fieldvisit.county import devices
from fieldvisit.county.ingest import Verdict, ingest
from fieldvisit.county.office import County
from fieldvisit.county.returns import return_bundle
from fieldvisit.store import Store
from fieldvisit.store.models import SYNCED_TABLES
from fieldvisit.sync import laptop
from tests.vaults import unlocked

VILLAGE = "522727100200"


@dataclass
class Laptop:
    store: Store
    folder: Path
    device: str

    def export(self, stick: Path) -> Path:
        return laptop.export_bundle(self.store, stick).path

    def receive(self, path: Path) -> laptop.Imported:
        return laptop.import_return(self.store, path)


def make_county(folder: Path, households: int = 12, database_url: str | None = None
                ) -> County:
    county = County.open(folder, database_url=database_url)
    demo.populate(county.store, households, seed=3)
    return county


def make_laptop(county: County, folder: Path, cadre: str = "王干部") -> Laptop:
    enrolled = devices.enroll(county, VILLAGE, cadre, folder / "enrollment")
    store = unlocked(folder / "data", create=True).store  # the CLI runs log in to it too
    store.actor = cadre  # this party's own writes, as its cadre
    laptop.enroll(store, enrolled.path, enrolled.code)
    return Laptop(store, folder / "data", enrolled.device)


def round_trip(county: County, party: Laptop, stick: Path) -> Verdict:
    """Export to the stick, the county ingests it, the laptop imports the return."""
    verdict = ingest(county, party.export(stick))
    if verdict.accepted:
        party.receive(return_bundle(county, party.device, stick / "back"))
    return verdict


def snapshot(store: Store) -> dict[str, dict[str, dict]]:
    """Every synced row's fields (not its revision stamp), for comparing parties."""
    out: dict[str, dict[str, dict]] = {}
    with store.reading() as conn:
        for name, model in SYNCED_TABLES.items():
            table = model.__table__
            rows = conn.execute(select(table)).mappings()
            out[name] = {row["id"]: {k: v for k, v in row.items()
                                     if k not in ("rev", "changed_by")} for row in rows}
    return out
