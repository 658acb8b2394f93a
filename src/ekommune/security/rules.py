"""The pure rules of risk assessments and the DPIA checklist (no database, no Django), so that
services, selectors, the PDF and the tests compute them one way.

- **Risk** (ROS): likelihood (sannsynlighet) and consequence (konsekvens) on 1–5 scales; the
  consequence of a threat is the worst of confidentiality, integrity and availability; risk =
  likelihood × consequence (1–25), in three levels (decision 0222).
- **Residual risk**: every *done* measure lowers the likelihood and/or the consequence by the
  steps it states; nothing goes below 1, and a measure never raises a risk.
- **DPIA trigger** (GDPR art. 35): the nine criteria of the EDPB guidelines (WP 248), as
  Datatilsynet uses them: two or more met, or the processing on Datatilsynet's list of processing
  that always needs one, and a DPIA (personvernkonsekvensvurdering) is required.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

SCALE = range(1, 6)
LOW_MAX = 4  # 1–4 low (green)
MEDIUM_MAX = 9  # 5–9 medium (yellow); 10–25 high (red)
MAX_REDUCTION = 4


def _on_scale(value: int, name: str) -> int:
    if not isinstance(value, int) or value not in SCALE:
        raise ValueError(f"{name} must be 1 to 5, not {value!r}")
    return value


def consequence(*, confidentiality: int, integrity: int, availability: int) -> int:
    """The consequence of a threat: the worst of its three (1–5)."""
    return max(
        _on_scale(confidentiality, "confidentiality"),
        _on_scale(integrity, "integrity"),
        _on_scale(availability, "availability"),
    )


def risk_score(likelihood: int, consequence_value: int) -> int:
    """Risk = likelihood × consequence (1–25)."""
    return _on_scale(likelihood, "likelihood") * _on_scale(consequence_value, "consequence")


def risk_level(score: int) -> str:
    """``low`` (1–4), ``medium`` (5–9) or ``high`` (10–25)."""
    if not 1 <= score <= 25:
        raise ValueError(f"a risk score is 1 to 25, not {score!r}")
    if score <= LOW_MAX:
        return "low"
    return "medium" if score <= MEDIUM_MAX else "high"


@dataclass(frozen=True)
class Levels:
    """Likelihood and the three consequences of a threat, before or after measures."""

    likelihood: int
    confidentiality: int
    integrity: int
    availability: int

    @property
    def consequence(self) -> int:
        return consequence(
            confidentiality=self.confidentiality, integrity=self.integrity, availability=self.availability
        )

    @property
    def score(self) -> int:
        return risk_score(self.likelihood, self.consequence)


def residual(inherent: Levels, done_measures: Iterable[tuple[int, int]]) -> Levels:
    """The levels left when the done measures, each ``(likelihood steps, consequence steps)``
    (0–4), have worked: each level lowered by the sum of the steps, never below 1."""
    down_likelihood = down_consequence = 0
    for likelihood_steps, consequence_steps in done_measures:
        for steps in (likelihood_steps, consequence_steps):
            if not isinstance(steps, int) or not 0 <= steps <= MAX_REDUCTION:
                raise ValueError(f"a measure lowers a level by 0 to 4 steps, not {steps!r}")
        down_likelihood += likelihood_steps
        down_consequence += consequence_steps

    def lowered(value: int, steps: int) -> int:
        return max(1, value - steps)

    return Levels(
        likelihood=lowered(inherent.likelihood, down_likelihood),
        confidentiality=lowered(inherent.confidentiality, down_consequence),
        integrity=lowered(inherent.integrity, down_consequence),
        availability=lowered(inherent.availability, down_consequence),
    )


# ------------------------------------------------------------------ DPIA

# The EDPB's nine criteria (WP 248 rev.01), worded as Datatilsynet asks them.
DPIA_CRITERIA: tuple[tuple[str, str], ...] = (
    ("evaluation_scoring", "Evaluering eller poengsetting, også profilering og prediksjon"),
    ("automated_decisions", "Automatiserte avgjørelser med rettslig eller tilsvarende betydelig virkning"),
    ("systematic_monitoring", "Systematisk monitorering"),
    (
        "sensitive_data",
        "Særlige kategorier av personopplysninger eller opplysninger av svært personlig karakter",
    ),
    ("large_scale", "Personopplysninger som behandles i stor skala"),
    ("matching_datasets", "Sammenstilling av datasett"),
    ("vulnerable_subjects", "Personopplysninger om sårbare registrerte (barn, pasienter, ansatte ...)"),
    (
        "innovative_technology",
        "Innovativ bruk eller anvendelse av ny teknologi eller organisatoriske løsninger",
    ),
    (
        "prevents_exercising_rights",
        "Behandlingen hindrer de registrerte i å utøve en rettighet eller bruke en tjeneste",
    ),
)
DPIA_CRITERION_KEYS = frozenset(key for key, _ in DPIA_CRITERIA)
DPIA_THRESHOLD = 2


def dpia_criteria_met(answers: Mapping[str, bool]) -> int:
    """How many of the nine criteria the answers meet; every criterion must be answered, and
    nothing else may be (an unknown key is refused, not ignored)."""
    if set(answers) != DPIA_CRITERION_KEYS:
        unknown = sorted(set(answers) - DPIA_CRITERION_KEYS)
        missing = sorted(DPIA_CRITERION_KEYS - set(answers))
        raise ValueError(f"answers must name the nine criteria (unknown {unknown}, missing {missing})")
    if not all(isinstance(value, bool) for value in answers.values()):
        raise ValueError("every answer is yes or no")
    return sum(answers.values())


def dpia_required(*, criteria_met: int, on_authority_list: bool) -> bool:
    """Two or more criteria, or on Datatilsynet's list: a DPIA is required."""
    return on_authority_list or criteria_met >= DPIA_THRESHOLD
