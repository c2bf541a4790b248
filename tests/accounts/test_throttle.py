"""Slowing down guessing, on a clock the test moves: per name, per address, forgiven, capped."""

from __future__ import annotations

from arena.services.accounts.throttle import SignInThrottle, delay


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_delay_doubles_from_the_fifth_failure_up_to_fifteen_minutes() -> None:
    # 30 s × 2^(failures − 5): 5 → 30, 6 → 60, 7 → 120, 8 → 240, 9 → 480, 10 → 960 capped at 900
    assert [delay(n, 5) for n in range(3, 11)] == [0, 0, 30, 60, 120, 240, 480, 900]
    assert delay(20, 20) == 30


def test_five_failures_for_a_name_then_wait() -> None:
    clock = Clock()
    t = SignInThrottle(clock)
    for _ in range(4):
        t.failed("王科长", "10.0.0.1")
        assert t.wait("王科长", "10.0.0.1") == 0
    t.failed("王科长", "10.0.0.1")  # the fifth
    assert t.wait("王科长", "10.0.0.1") == 30
    assert t.wait("王科长", "10.0.0.2") == 30  # the name is slowed down from every address
    assert t.wait("李科长", "10.0.0.1") == 0  # the address is not (5 of its 20)
    clock.now += 29.5
    assert t.wait("王科长", "10.0.0.1") == 1  # 0.5 s left, rounded up for Retry-After
    clock.now += 0.5
    assert t.wait("王科长", "10.0.0.1") == 0
    t.failed("王科长", "10.0.0.1")  # the sixth: 60 s
    assert t.wait("王科长", "10.0.0.1") == 60
    t.succeeded("王科长")
    assert t.wait("王科长", "10.0.0.1") == 0
    assert t.failures("王科长", "10.0.0.1") == (0, 6)  # the address keeps its count


def test_twenty_failures_from_one_address_slow_down_every_name() -> None:
    clock = Clock()
    t = SignInThrottle(clock)
    for n in range(20):
        assert t.wait(f"名{n}", "10.0.0.9") == 0
        t.failed(f"名{n}", "10.0.0.9")
    assert t.wait("从未试过", "10.0.0.9") == 30
    assert t.wait("从未试过", "10.0.0.10") == 0
    t.succeeded("名0")  # a right password for one name does not clear the address
    assert t.wait("从未试过", "10.0.0.9") == 30


def test_failures_are_forgotten_after_an_hour_without_one() -> None:
    clock = Clock()
    t = SignInThrottle(clock)
    for _ in range(10):
        t.failed("王科长", "10.0.0.1")
        clock.now += 1
    assert t.wait("王科长", "10.0.0.1") == 900 - 1  # capped at 15 min, 1 s since the last
    clock.now += 3599
    assert t.wait("王科长", "10.0.0.1") == 0
    assert t.failures("王科长", "10.0.0.1") == (0, 0)
