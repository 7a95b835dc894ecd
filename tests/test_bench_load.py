"""The load bench's clerks and reviewer really work: a small swarm submits, prints and approves, and the fund
still checks out (the bench's own figures come from `python -m bench load_50_submit_p95_ms` and its kin)."""

import time

import bench.load_figures as load


def test_a_small_swarm_submits_prints_and_approves(demo_url, monkeypatch):
    monkeypatch.setattr(load, "ROUNDS", 1)
    wall, samples, _refused = load._swarm(demo_url, 3)
    assert wall > 0
    assert {"list", "edit", "submit", "print", "queue"} <= samples.keys()
    load._check(demo_url)


def test_the_think_time_mix_thinks_and_stops_by_the_clock(demo_url):
    # median 0.2 s for 6 s: each clerk starts within 0.4 s, thinks before each action, starts nothing after 6 s
    started = time.monotonic()
    wall, samples, _refused = load._swarm(demo_url, 3, think_s=0.2, seconds=6)
    assert 6 <= wall < 120 and time.monotonic() - started < 180
    assert {"list", "edit", "submit"} <= samples.keys()
    assert len(samples["submit"]) < 20  # thinking, not a tight loop
    load._check(demo_url)
