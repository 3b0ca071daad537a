"""Hybrid logical clock: revisions never run backwards, whatever the laptop's clock says."""

from __future__ import annotations

from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st

from fieldvisit.store.clock import HybridClock, Timestamp

NOW = 1_790_000_000.0  # seconds, late 2026


class FakeWall:
    """A settable wall clock, in seconds like time.time()."""

    def __init__(self, seconds: float = NOW) -> None:
        self.seconds = seconds

    def __call__(self) -> float:
        return self.seconds


def test_tick_follows_a_correct_wall_clock():
    wall = FakeWall()
    clock = HybridClock("node", wall=wall)
    first = clock.tick()
    assert first == Timestamp(int(NOW * 1000), 0, "node")
    wall.seconds += 1.5
    assert clock.tick() == Timestamp(int(NOW * 1000) + 1500, 0, "node")


def test_tick_is_strictly_increasing_when_wall_time_goes_backwards():
    wall = FakeWall()
    clock = HybridClock("node", wall=wall)
    stamps = [clock.tick()]
    for seconds in (NOW, NOW - 0.001, NOW - 86_400 * 365, NOW - 86_400 * 365, NOW + 0.0005,
                    NOW + 0.002, 0.0, NOW + 0.002):
        wall.seconds = seconds
        stamps.append(clock.tick())
        stamps.append(clock.tick())
    for earlier, later in pairwise(stamps):
        assert earlier < later
        assert str(earlier) < str(later)
    # once the wall clock is right again, the clock follows it
    wall.seconds = NOW + 10
    assert clock.tick() == Timestamp(int((NOW + 10) * 1000), 0, "node")


def test_tick_continues_after_a_persisted_timestamp():
    last = Timestamp(int(NOW * 1000), 7, "node")
    clock = HybridClock("node", last, wall=FakeWall(NOW - 3600))
    assert clock.tick() == Timestamp(int(NOW * 1000), 8, "node")


def test_observe_moves_past_a_remote_timestamp_from_the_future():
    wall = FakeWall()
    clock = HybridClock("mine", wall=wall)
    local = clock.tick()
    remote = Timestamp(int(NOW * 1000) + 10 * 86_400_000, 3, "theirs")  # 10 days ahead
    seen = clock.observe(remote)
    assert seen > remote > local
    assert seen.node == "mine"
    assert seen.millis == remote.millis and seen.counter == 4
    # local edits made after receiving it still sort after it, though the wall is behind
    after = clock.tick()
    assert after > seen and str(after) > str(remote)


def test_observe_of_an_older_remote_stays_with_local_time():
    wall = FakeWall()
    clock = HybridClock("mine", wall=wall)
    local = clock.tick()
    wall.seconds += 1
    seen = clock.observe(Timestamp(int(NOW * 1000) - 5000, 9, "theirs"))
    assert seen == Timestamp(int((NOW + 1) * 1000), 0, "mine")
    assert seen > local


def test_observe_with_equal_millis_takes_the_larger_counter():
    wall = FakeWall(NOW - 100)  # wall behind both
    clock = HybridClock("mine", Timestamp(int(NOW * 1000), 2, "mine"), wall=wall)
    seen = clock.observe(Timestamp(int(NOW * 1000), 5, "theirs"))
    assert seen == Timestamp(int(NOW * 1000), 6, "mine")
    seen = clock.observe(Timestamp(int(NOW * 1000), 1, "theirs"))
    assert seen == Timestamp(int(NOW * 1000), 7, "mine")


def test_timestamp_string_form():
    stamp = Timestamp(1_790_000_000_123, 42, "a1b2c3d4e5f60718")
    assert str(stamp) == "1790000000123-00042-a1b2c3d4e5f60718"
    assert Timestamp.parse(str(stamp)) == stamp


timestamps = st.builds(
    Timestamp,
    millis=st.integers(0, 10**13 - 1),
    counter=st.integers(0, 99_999),
    node=st.text("0123456789abcdef-", min_size=1, max_size=16),
)


@settings(max_examples=300, deadline=None)
@given(timestamps)
def test_timestamp_string_round_trip(stamp):
    assert Timestamp.parse(str(stamp)) == stamp


@settings(max_examples=500, deadline=None)
@given(timestamps, timestamps)
def test_string_order_equals_clock_order(a, b):
    assert (str(a) < str(b)) == (a < b)
    assert (str(a) == str(b)) == (a == b)


def test_string_order_survives_100000_ticks_while_the_wall_clock_is_behind():
    # A laptop whose clock was set back a day: until the wall catches up, every write
    # ticks within the same millisecond of the persisted clock.
    clock = HybridClock("node", Timestamp(int(NOW * 1000), 0, "node"), wall=FakeWall(NOW - 86_400))
    previous = str(clock.tick())
    for _ in range(100_000):
        current = str(clock.tick())
        assert current > previous, (previous, current)
        previous = current
