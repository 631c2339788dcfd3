from datetime import timedelta

import pytest

from peertrain.core.durations import duration_words


@pytest.mark.parametrize(
    ("length", "words"),
    [
        (timedelta(seconds=1), "1 second"),
        (timedelta(seconds=30), "30 seconds"),
        (timedelta(seconds=90), "90 seconds"),
        (timedelta(minutes=1), "1 minute"),
        (timedelta(minutes=15), "15 minutes"),
        (timedelta(minutes=90), "90 minutes"),
        (timedelta(hours=24), "1 day"),
        (timedelta(hours=36), "36 hours"),
        (timedelta(0), "0 seconds"),
    ],
)
def test_a_length_is_said_in_the_largest_unit_that_measures_it(length, words):
    assert duration_words(length) == words
