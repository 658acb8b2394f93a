"""The pure rules, over every case: risk = likelihood × worst consequence in three levels, the
residual risk of done measures, and the DPIA trigger (two criteria, or Datatilsynet's list)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ekommune.security import rules

scale = st.integers(min_value=1, max_value=5)
steps = st.integers(min_value=0, max_value=4)
levels = st.builds(rules.Levels, scale, scale, scale, scale)
measures = st.lists(st.tuples(steps, steps), max_size=6)


@given(scale, scale, scale, scale)
def test_risk_is_likelihood_times_the_worst_consequence(likelihood, c, i, a) -> None:
    threat = rules.Levels(likelihood, c, i, a)
    assert threat.consequence == max(c, i, a)
    assert threat.score == likelihood * max(c, i, a)
    assert 1 <= threat.score <= 25


@given(scale, scale)
def test_the_level_follows_the_score(likelihood, consequence) -> None:
    score = rules.risk_score(likelihood, consequence)
    expected = "low" if score <= 4 else "medium" if score <= 9 else "high"
    assert rules.risk_level(score) == expected


@pytest.mark.parametrize("bad", [0, 6, -1, 2.5, "3"])
def test_values_off_the_scale_are_refused(bad) -> None:
    with pytest.raises(ValueError, match=r"\w"):
        rules.risk_score(bad, 3)
    with pytest.raises(ValueError, match=r"\w"):
        rules.consequence(confidentiality=3, integrity=bad, availability=1)


@pytest.mark.parametrize("score", [0, 26])
def test_a_score_off_the_matrix_has_no_level(score) -> None:
    with pytest.raises(ValueError, match=r"\w"):
        rules.risk_level(score)


@given(levels, measures)
def test_residual_risk_never_rises_and_never_leaves_the_scale(inherent, done) -> None:
    left = rules.residual(inherent, done)
    assert left.score <= inherent.score
    for name in ("likelihood", "confidentiality", "integrity", "availability"):
        assert 1 <= getattr(left, name) <= getattr(inherent, name)
    expected_likelihood = max(1, inherent.likelihood - sum(step for step, _ in done))
    assert left.likelihood == expected_likelihood


@given(levels, measures, measures)
def test_more_done_measures_never_raise_the_residual_and_order_does_not_matter(inherent, done, more) -> None:
    assert rules.residual(inherent, done + more).score <= rules.residual(inherent, done).score
    assert rules.residual(inherent, done + more) == rules.residual(inherent, list(reversed(more + done)))
    assert rules.residual(inherent, []) == inherent


@pytest.mark.parametrize("bad", [(5, 0), (0, -1), (1.5, 0)])
def test_a_measure_lowers_by_zero_to_four_steps(bad) -> None:
    with pytest.raises(ValueError, match=r"\w"):
        rules.residual(rules.Levels(3, 3, 3, 3), [bad])


answers = st.fixed_dictionaries({key: st.booleans() for key in sorted(rules.DPIA_CRITERION_KEYS)})


@given(answers, st.booleans())
def test_a_dpia_is_required_by_two_criteria_or_the_authority_list(given_answers, listed) -> None:
    met = rules.dpia_criteria_met(given_answers)
    assert met == sum(given_answers.values())
    assert rules.dpia_required(criteria_met=met, on_authority_list=listed) == (listed or met >= 2)


def test_the_checklist_must_answer_the_nine_criteria_and_only_them() -> None:
    complete = dict.fromkeys(rules.DPIA_CRITERION_KEYS, False)
    assert len(complete) == 9
    with pytest.raises(ValueError, match=r"\w"):
        rules.dpia_criteria_met({**complete, "something_else": True})
    with pytest.raises(ValueError, match=r"\w"):
        rules.dpia_criteria_met({key: value for key, value in complete.items() if key != "large_scale"})
    with pytest.raises(ValueError, match=r"\w"):
        rules.dpia_criteria_met({**complete, "large_scale": "ja"})  # type: ignore[dict-item]
