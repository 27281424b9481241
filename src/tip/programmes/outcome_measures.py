"""Extension point: how each outcome of a programme will be measured, as a later app plans it.

The Theory of Change's indicators say what is measured; the evaluation app plans the
instruments and when they are used. So that an outcome shows how it will be measured without
``programmes`` importing ``evaluation``, an app registers a provider from its
``AppConfig.ready()``::

    from tip.programmes.outcome_measures import register_outcome_measures

    def planned(programme):
        return {outcome_id: ["TIP knowledge questionnaire: Baseline, Six months after"]}

    register_outcome_measures(planned)

A provider takes a programme and returns, by outcome id, lines already in the reader's
language; it should run a bounded number of queries.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from tip.programmes.models import Programme

OutcomeMeasuresProvider = Callable[[Programme], Mapping[int, Sequence[str]]]

_PROVIDERS: list[OutcomeMeasuresProvider] = []


def register_outcome_measures(provider: OutcomeMeasuresProvider) -> None:
    """Add a source of planned measures to the programme page (idempotent)."""
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


def outcome_measures(programme: Programme) -> dict[int, list[str]]:
    """Every provider's lines for each outcome of the programme, in registration order."""
    found: dict[int, list[str]] = {}
    for provider in _PROVIDERS:
        for outcome_id, lines in provider(programme).items():
            found.setdefault(outcome_id, []).extend(lines)
    return found
