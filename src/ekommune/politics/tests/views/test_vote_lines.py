"""The secretariat's vote lines (``Ap for 12``) parse into votes, whatever the party and the count."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from ekommune.politics.views.forms import DecisionForm

PARTY = st.text(alphabet=st.characters(categories=["L"], exclude_characters=":"), min_size=1, max_size=12)
CHOICE = st.sampled_from(["for", "mot", "avstod", "FOR", "Mot"])
LINE = st.tuples(PARTY, CHOICE, st.integers(min_value=0, max_value=999), st.sampled_from([" ", ": ", "  "]))


@given(st.lists(LINE, max_size=8))
def test_well_formed_lines_become_votes_in_order(lines) -> None:
    text = "\n".join(f"{party}{separator}{choice} {count}" for party, choice, count, separator in lines)
    form = DecisionForm({"text": "Vedtatt", "votes": text})
    assert form.is_valid(), form.errors
    votes = form.cleaned_data["votes"]
    assert [(v.party, v.choice, v.count) for v in votes] == [(p, c.lower(), n) for p, c, n, _ in lines]


@given(st.sampled_from(["Ap", "Ap for", "for 12", "Ap ja 3", "Ap for -1", "Ap for 1000", "Ap for tolv"]))
def test_malformed_lines_are_refused_with_the_line_quoted(line) -> None:
    form = DecisionForm({"text": "Vedtatt", "votes": f"Sp mot 2\n{line}"})
    assert not form.is_valid()
    assert line in form.errors["votes"][0]
