"""The title rule (names after الرئيس, وزير ... are PER) against the CRF's own spans."""

from processing.entities.arabic import TITLED_NAME_MIN_PROBABILITY, ArabicPipeline

wins = ArabicPipeline._titled_name_wins


def _in_name(probabilities):
    return lambda first, last: max(probabilities[first:last])


def test_the_model_keeps_a_name_that_runs_past_the_titled_one():
    # الرئيس [صدام] حسين: the rule's name end is a guess, the CRF's span is longer
    assert not wins(1, 2, [(1, 3, "PER")], _in_name([0.0, 0.9, 0.9]))


def test_a_titled_name_extends_the_model_only_with_name_like_words():
    high, low = TITLED_NAME_MIN_PROBABILITY + 0.1, TITLED_NAME_MIN_PROBABILITY - 0.1
    # رئيسة الوزراء [جورجيا ميلوني]: the CRF saw جورجيا as a place, ميلوني looks like a name
    assert wins(1, 3, [(1, 2, "LOC")], _in_name([0.0, 0.9, high]))
    # الرئيس [شيراك سيقرر]: the rule ran on into a verb the CRF does not take for a name
    assert not wins(1, 3, [(1, 2, "PER")], _in_name([0.0, 0.9, low]))
    # without CRF probabilities (the spaCy model) the rule decides alone
    assert wins(1, 3, [(1, 2, "PER")], None)
