"""Column helpers for the analyses: a function of each value of a long column, computed once per
distinct value. Plain Python, no Django.

The analyses read CSV files (text) and report frames (text and numbers) alike, and check and clean
values one at a time with small Python functions. On a report's 10,000s of rows that is slow, yet
the columns hold few distinct values (waves, groups, organisations, people), so each function is
called once per distinct value and the answers spread back over the rows.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd


def _by_value_safe(series: pd.Series) -> bool:
    """Whether values that compare equal are also alike for the per-value functions here (text,
    numbers): not so in a column mixing types, where 1, 1.0 and True are equal but print
    differently, so such a column is taken value by value."""
    if series.dtype != object:
        # Numbers and booleans; other kinds (categories, dates) are taken value by value.
        return isinstance(series.dtype, np.dtype) and series.dtype.kind in "biuf"
    return pd.api.types.infer_dtype(series, skipna=True) in ("string", "empty")


def distinct_values(series: pd.Series) -> list[object]:
    """One of each distinct value (missing ones included as they are), for functions of a value
    that need not see a long column value by value."""
    if not _by_value_safe(series):
        return list(series)
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    found = list(uniques)
    if bool((codes < 0).any()):
        found.extend(series[codes < 0])
    return found


def map_by_value(series: pd.Series, func: Callable[[object], object]) -> pd.Series:
    """``series.map(func)``, calling ``func`` once per distinct value rather than once per row
    (columns of 10,000s of rows hold a few distinct values; CSV input and report frames alike).
    Missing values (None, NaN and the like) are passed to ``func`` one by one, as they are."""
    if not _by_value_safe(series) or len(series) < 64:
        return series.map(func)
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    results = np.empty(len(uniques) + 1, dtype=object)
    for i, value in enumerate(uniques):
        results[i] = func(value)
    out = results[codes]  # code -1 takes the last slot, filled below
    gaps = np.flatnonzero(codes < 0)
    if len(gaps):
        values = series.to_numpy(dtype=object)
        for gap in gaps:
            out[gap] = func(values[gap])
    return pd.Series(out, index=series.index, name=series.name).infer_objects()
