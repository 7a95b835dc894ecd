"""The load bench's clerks and reviewer really work: a small swarm submits, prints and approves, and the fund
still checks out (the bench's own figures come from `python -m bench load_50_submit_p95_ms` and its kin)."""

import bench.load_figures as load


def test_a_small_swarm_submits_prints_and_approves(demo_url, monkeypatch):
    monkeypatch.setattr(load, "ROUNDS", 1)
    wall, samples, _refused = load._swarm(demo_url, 3)
    assert wall > 0
    assert {"list", "edit", "submit", "print", "queue"} <= samples.keys()
    load._check(demo_url)
