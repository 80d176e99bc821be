"""Thread safety as the ABI promises it (docs/abi.md: distinct handles may run concurrently): one Library
shared by threads, each call on a handle of its own, and run errors reported to the thread that failed."""
import threading

import numpy as np

import dmc
import references
from conftest import assert_close, random_inputs


def run_threads(targets):
    errors = []

    def guarded(fn):
        def body():
            try:
                fn()
            except BaseException as e:  # noqa: BLE001 - reported to the main thread below
                errors.append(e)
        return body

    threads = [threading.Thread(target=guarded(fn)) for fn in targets]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise errors[0]


def test_two_threads_share_a_library(linear_attention):
    lib = linear_attention
    cases = [random_inputs(lib, {"B": 1, "S": seq, "E": 128}, seed=seq) for seq in (33, 77)]
    expected = [references.linear_attention(c, heads=2) for c in cases]
    start = threading.Barrier(2)

    def worker(case, want):
        def body():
            start.wait()
            for _ in range(20):
                assert_close(lib(**case), want)
        return body

    run_threads([worker(c, e) for c, e in zip(cases, expected)])
    assert 1 <= len(lib._idle) <= 2  # a handle per concurrent call, returned to the pool


def test_errors_stay_with_their_thread(outer_sum):
    huge = np.zeros((1, 16777216), dtype=np.float32)  # a 1 PiB transient: every run fails
    small = np.random.default_rng(6).standard_normal((1, 77)).astype(np.float32)
    want = references.outer_sum(small)
    start = threading.Barrier(2)

    def failing():
        start.wait()
        for _ in range(5):
            try:
                outer_sum(x=huge)
            except dmc.RunError as e:
                assert "cannot allocate 1125899906842624 bytes for transient 'outer'" in str(e)
            else:
                raise AssertionError("the run should have failed")

    def working():
        start.wait()
        for _ in range(50):
            assert_close(outer_sum(x=small), want)

    run_threads([failing, working])
