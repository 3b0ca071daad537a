"""Card benchmark: 明白卡 per second next to a bare reportlab page (the floor).

    .venv/bin/python benchmarks/cards.py [--households 1000] [--memory-cards 10000]

Builds a demo village, prints every household's card (signed QR included) into one PDF
and reports cards/s; then renders the same number of bare pages — the same embedded CJK
font and a similar ruled table of the same members, no data gathering, no QR — as the
floor, and the ratio. Memory: peak RSS (VmHWM) of a separate process printing
``--memory-cards`` cards, next to one printing a tenth of them, to show whether it grows.
Targets (issue 4): ≥ 100 cards/s, within 3x of the floor, memory flat.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from fieldvisit import demo
from fieldvisit.cards import signing
from fieldvisit.cards.layout import load_layout
from fieldvisit.cards.pdf import write_cards
from fieldvisit.cards.typeset import FONT, register_font
from fieldvisit.roster import queries
from fieldvisit.store import Store

TODAY = date(2026, 11, 1)


def demo_store(folder: Path, households: int) -> tuple[Store, list[str]]:
    store = Store.open(folder / "cards.sqlite")
    demo.populate(store, households, seed=9, today=TODAY)
    with store.reading() as conn:
        return store, [row.id for row in queries.household_rows(conn)]


def print_cards(store: Store, ids: list[str], out: Path) -> float:
    started = time.perf_counter()
    write_cards(store, ids, out, load_layout(), TODAY,
                qr_payload=lambda card: signing.qr_payload(store, card.household_id))
    return time.perf_counter() - started


def bare_pages(store: Store, ids: list[str], out: Path) -> float:
    """The floor: reportlab alone, same font and a similar ruled member table."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Table, TableStyle

    register_font()
    style = ParagraphStyle("cell", fontName=FONT, fontSize=10)
    with store.reading() as conn:
        tables = [[[m.name, m.relation or "", m.sex or "", str(m.age or ""),
                    (m.id_number or "")[:6] + "********", m.schooling or ""]
                   for m in queries.members(conn, hid, TODAY)] for hid in ids]
    started = time.perf_counter()
    story = []
    for rows in tables:
        story.append(Paragraph("防返贫监测帮扶明白卡", style))
        table = Table([[Paragraph(str(c), style) for c in row] for row in rows])
        table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black)]))
        story += [table, PageBreak()]
    SimpleDocTemplate(str(out), pagesize=A4).build(story)
    return time.perf_counter() - started


def peak_rss(households: int, cards: int) -> int:
    """Peak RSS (MB) of a fresh process printing ``cards`` cards."""
    done = subprocess.run([sys.executable, __file__, "memory", str(households), str(cards)],
                          capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def step_memory(households: int, cards: int) -> None:
    folder = Path(tempfile.mkdtemp(prefix="fv-cards-mem-"))
    store, ids = demo_store(folder, households)
    print_cards(store, (ids * (cards // len(ids) + 1))[:cards], folder / "memory.pdf")
    status = Path("/proc/self/status").read_text().splitlines()
    print(json.dumps(int(next(s for s in status if s.startswith("VmHWM")).split()[1]) // 1024))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--households", type=int, default=1000)
    parser.add_argument("--memory-cards", type=int, default=10000)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="fv-cards-"))
    store, ids = demo_store(folder, args.households)
    cards_s = print_cards(store, ids, folder / "cards.pdf")
    floor_s = bare_pages(store, ids, folder / "bare.pdf")
    print(f"{len(ids):,} cards in {cards_s:.1f} s: {len(ids) / cards_s:.0f} cards/s; "
          f"bare reportlab pages {len(ids) / floor_s:.0f} pages/s; "
          f"ratio {cards_s / floor_s:.2f}x")
    small = peak_rss(200, args.memory_cards // 10)
    large = peak_rss(200, args.memory_cards)
    print(f"peak RSS: {small} MB for {args.memory_cards // 10:,} cards, "
          f"{large} MB for {args.memory_cards:,} cards")


if __name__ == "__main__":
    if sys.argv[1:2] == ["memory"]:
        step_memory(int(sys.argv[2]), int(sys.argv[3]))
    else:
        main()
