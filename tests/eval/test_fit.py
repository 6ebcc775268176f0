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


def test_the_fit_tool_scores_candidates_as_the_reader_does():
    # the asking clause's coverage ("focus") is blended into "asked"; a heading the question names adds
    rows = [{"cands": [{"parts": {"asked": 0.6, "focus": 0.1}, "hit": False, "doc": True},
                       {"parts": {"asked": 0.4, "focus": 0.8}, "hit": True, "doc": True}]},
            {"cands": [{"parts": {"asked": 0.5, "heading": 0.0}, "hit": False, "doc": True},
                       {"parts": {"asked": 0.4, "heading": 1.0}, "hit": True, "doc": True}]}]
    assert pick_rate(rows, Weights(focus=0.75, heading=0.2))[0] == 1.0
    assert pick_rate(rows, Weights(focus=0.0, heading=0.0))[0] == 0.0
    parts = {"own": 0.5, "context": 0.4, "fit": 1.0, "rank": 0.3, "named": 1.0, "local": 0.0, "asked": 0.6,
             "focus": 0.2, "new": 0.9, "heading": 1.0, "bonus": 0.02}
    w = Weights(new=0.1)
    assert abs(w.total(parts) - (0.2 * 0.5 + 0.25 * 0.4 + 0.25 + 0.1 * 0.3 + 0.1 + 0.6 * (0.25 * 0.6 + 0.75 * 0.2)
                                 + 0.1 * 0.9 + 0.2 + 0.02)) < 1e-9
