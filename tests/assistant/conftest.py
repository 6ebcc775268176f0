import datetime as dt

import pytest

TODAY = dt.date(2026, 11, 21)


@pytest.fixture
def bot(seed_kb):
    from assistant import Assistant

    return Assistant(kb=seed_kb, today=TODAY)
