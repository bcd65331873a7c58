"""The store lane's worker thread: an answer that arrives after its window went away is dropped
quietly, never an error on the worker thread; what the officer waits for runs before the queued
background jobs."""

from __future__ import annotations

import threading

import shiboken6

from ui.workers import Lane


def test_a_job_still_running_when_its_window_closes_ends_quietly(qtbot) -> None:  # noqa: ANN001
    lane = Lane("test")
    started, release, finished = threading.Event(), threading.Event(), threading.Event()

    def job() -> int:
        started.set()
        release.wait(5)
        return 1

    answers: list[int] = []
    lane.submit(job, answers.append)
    assert started.wait(5)
    # The window is torn down while the job runs: its lane goes with it (the pool waits for the job).
    threading.Timer(0.1, release.set).start()
    threading.Thread(target=lambda: (release.wait(5), finished.set())).start()
    shiboken6.delete(lane)
    assert finished.wait(5)
    qtbot.wait(50)  # let any answer event be delivered, had one been posted to the dead lane
    assert answers == []


def test_a_job_of_higher_priority_runs_before_the_queued_ones_but_not_before_the_running_one(qtbot) -> None:  # noqa: ANN001
    lane = Lane("test")
    started, release = threading.Event(), threading.Event()
    order: list[str] = []
    lane.submit(lambda: (started.set(), release.wait(5), order.append("running")))
    assert started.wait(5)
    lane.submit(lambda: order.append("background 1"))
    lane.submit(lambda: order.append("background 2"))
    lane.submit(lambda: order.append("urgent 1"), priority=1)
    lane.submit(lambda: order.append("urgent 2"), priority=1)
    release.set()
    qtbot.waitUntil(lambda: not lane.busy())
    assert order == ["running", "urgent 1", "urgent 2", "background 1", "background 2"]
