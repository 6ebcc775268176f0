from assistant.read import Weights
from eval.fit import ceiling, pick_rate, search


def _rows():
    # question 1: the candidate with the higher "asked" part holds the span; question 2: the ranked one
    return [{"cands": [{"parts": {"asked": 0.2, "rank": 1.0}, "hit": False, "doc": True},
                       {"parts": {"asked": 0.9, "rank": 0.0}, "hit": True, "doc": True}]},
            {"cands": [{"parts": {"asked": 0.5, "rank": 1.0}, "hit": True, "doc": True},
                       {"parts": {"asked": 0.5, "rank": 0.0}, "hit": False, "doc": False}]},
            {"cands": []}]


def test_pick_rate_follows_the_weights():
    assert pick_rate(_rows(), dict(vars(Weights()), asked=1.0, rank=0.1))[0] == 2 / 3
    assert pick_rate(_rows(), dict(vars(Weights()), asked=0.0, rank=1.0))[0] == 1 / 3
    assert ceiling(_rows()) == 2 / 3


def test_search_finds_the_better_grid_point():
    best, rate = search(_rows(), Weights(), {"asked": (0.0, 1.0), "rank": (0.1, 1.0)})
    assert rate[0] == 2 / 3 and best["asked"] == 1.0
