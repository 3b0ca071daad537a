"""Card benchmark: 明白卡 per second next to a bare reportlab page (the floor), and memory.

    .venv/bin/python benchmarks/cards.py [--households 1000] [--memory-cards 1000 10000]

Builds a demo village in which every household has a completed visit (varied answers,
so cards carry income, 三保障 statuses and the open problems the visits raised), prints
every household's card (signed QR included) into one PDF and reports cards/s; then
renders the same number of bare pages — the same embedded CJK font and a similar ruled
table of the same members, no data gathering, no QR — as the floor, and the ratio. Each
is timed best of three, alternating, so another process's burst does not pick the
figure. Memory: peak RSS (VmHWM) of a fresh process printing each ``--memory-cards``
count from a 200-household village (households repeated), next to its RSS before
printing, to show whether printing grows with the number of cards: the growth per card
from the first count to the last is ``rss_kb_per_card``. The last line is the figures as
one JSON object (cards_per_s, floor_pages_per_s, cards_ratio, rss_kb_per_card).
Targets (issues 4, 15): ≥ 100 cards/s, within 3x of the floor, RSS growth ≤ 2 KB a card
from 1,000 to 10,000 cards.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.visits import answers_for  # noqa: E402
from fieldvisit import demo  # noqa: E402
from fieldvisit.cards import signing  # noqa: E402
from fieldvisit.cards.layout import load_layout  # noqa: E402
from fieldvisit.cards.pdf import write_cards  # noqa: E402
from fieldvisit.cards.typeset import FONT, register_font  # noqa: E402
from fieldvisit.checklist.forms import FormSet, bundled_forms_dir, load_forms  # noqa: E402
from fieldvisit.checklist.settings import DEFAULT_SETTINGS  # noqa: E402
from fieldvisit.roster import queries  # noqa: E402
from fieldvisit.store import Insert, Store  # noqa: E402
from fieldvisit.visits import ledger, visit  # noqa: E402

TODAY = date(2026, 11, 1)
RUNS = 3


def demo_store(folder: Path, households: int) -> tuple[Store, list[str]]:
    """A demo village whose every household has a completed visit."""
    store = Store.open(folder / "cards.sqlite")
    demo.populate(store, households, seed=9, today=TODAY)
    with store.reading() as conn:
        ids = [row.id for row in queries.household_rows(conn)]
    complete_visits(store, ids, load_forms(bundled_forms_dir()))
    return store, ids


def complete_visits(store: Store, ids: list[str], formset: FormSet) -> None:
    """One visit per household, answers written in one go, then each completed through
    ``visit.complete`` so its findings open problems in the ledger as in the field."""
    rng = random.Random(5)
    drafts, edits = [], []
    with store.reading() as conn:
        for household_id in ids:
            members = [m.values for m in queries.members(conn, household_id, TODAY)]
            draft = Insert("visit", {
                "household_id": household_id, "cadre": "测试", "started_on": TODAY,
                "status": visit.DRAFT, "form_versions": visit.encode(
                    {form_id: form.version for form_id, form in formset.forms.items()})})
            drafts.append(draft.id)
            edits.append(draft)
            edits += answer_edits(draft.id, answers_for(rng, members), formset)
    store.write(edits)
    for draft_id in drafts:
        visit.complete(store, draft_id, formset, DEFAULT_SETTINGS, "测试", "户主签字", "户主",
                       TODAY)


def answer_edits(visit_id: str, answers: dict[str, dict], formset: FormSet) -> list[Insert]:
    def row(form_id: str, instance: str | None, question: str, value: object) -> Insert:
        return Insert("visit_answer", {"visit_id": visit_id, "form_id": form_id,
                                       "instance": instance, "question_id": question,
                                       "value": visit.encode(value)})
    edits = []
    for form_id, given in answers.items():
        if formset[form_id].per_member:
            edits += [row(form_id, member, question, value)
                      for member, own in given.items() for question, value in own.items()]
        else:
            edits += [row(form_id, None, question, value) for question, value in given.items()]
    return edits


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


def best_of_alternating(*works: Callable[[], float]) -> list[float]:
    """Each work's best time over RUNS rounds, the works taking turns in every round."""
    best = [float("inf")] * len(works)
    for _ in range(RUNS):
        for index, work in enumerate(works):
            best[index] = min(best[index], work())
    return best


def memory(cards: int) -> tuple[int, int]:
    """(RSS before printing, peak RSS) in KB of a fresh process printing ``cards``."""
    done = subprocess.run([sys.executable, __file__, "memory", str(cards)],
                          capture_output=True, text=True, check=True)
    before, peak = json.loads(done.stdout.strip().splitlines()[-1])
    return before, peak


def step_memory(cards: int) -> None:
    folder = Path(tempfile.mkdtemp(prefix="fv-cards-mem-"))
    store, ids = demo_store(folder, 200)
    before = _status_kb("VmRSS")
    print_cards(store, (ids * (cards // len(ids) + 1))[:cards], folder / "memory.pdf")
    print(json.dumps([before, _status_kb("VmHWM")]))


def _status_kb(key: str) -> int:
    status = Path("/proc/self/status").read_text().splitlines()
    return int(next(s for s in status if s.startswith(key)).split()[1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--households", type=int, default=1000)
    parser.add_argument("--memory-cards", type=int, nargs="*", default=[1000, 10000])
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="fv-cards-"))
    store, ids = demo_store(folder, args.households)
    with store.reading() as conn:
        problems = len(ledger.problems(conn, status=visit.OPEN_STATUS))
    print(f"{len(ids):,} households, each with a completed visit; {problems:,} open problems")
    cards_s, floor_s = best_of_alternating(
        lambda: print_cards(store, ids, folder / "cards.pdf"),
        lambda: bare_pages(store, ids, folder / "bare.pdf"))
    print(f"{len(ids):,} cards in {cards_s:.1f} s: {len(ids) / cards_s:.0f} cards/s; "
          f"bare reportlab pages {len(ids) / floor_s:.0f} pages/s; "
          f"ratio {cards_s / floor_s:.2f}x (best of {RUNS})")
    peaks = {}
    for cards in args.memory_cards:
        before, peak = memory(cards)
        peaks[cards] = peak
        print(f"{cards:,} cards: RSS {before // 1024} MB before printing, peak "
              f"{peak // 1024} MB (+{(peak - before) // 1024} MB)")
    first, last = min(peaks, default=0), max(peaks, default=0)
    per_card = (peaks[last] - peaks[first]) / (last - first) if last > first else None
    if per_card is not None:
        print(f"RSS growth from {first:,} to {last:,} cards: {per_card:.1f} KB a card")
    print(json.dumps({"cards_per_s": round(len(ids) / cards_s, 1),
                      "floor_pages_per_s": round(len(ids) / floor_s, 1),
                      "cards_ratio": round(cards_s / floor_s, 2),
                      "rss_kb_per_card": None if per_card is None else round(per_card, 2)}))


if __name__ == "__main__":
    if sys.argv[1:2] == ["memory"]:
        step_memory(int(sys.argv[2]))
    else:
        main()
