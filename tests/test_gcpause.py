"""The garbage collector pause restores what it found, even when the batch fails."""

from __future__ import annotations

import gc

import pytest

from tracker.gcpause import gc_paused


def test_the_collector_is_paused_then_restored_even_on_error() -> None:
    assert gc.isenabled()
    with gc_paused():
        assert not gc.isenabled()
        with gc_paused():  # nested: the inner pause must not switch it back on
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(ValueError), gc_paused():
        raise ValueError("a broken batch")
    assert gc.isenabled()


def test_a_collector_that_was_off_stays_off() -> None:
    gc.disable()
    try:
        with gc_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_as_a_decorator_it_pauses_each_call() -> None:
    @gc_paused()
    def collecting() -> bool:
        return gc.isenabled()

    assert collecting() is False and collecting() is False
    assert gc.isenabled()
