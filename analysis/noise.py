"""Is a change in a count larger than chance gives for counts of this size?

The model is the plainest one that is honest about counts: two Poisson counts with the same rate.
Given their sum, the newer count is then binomial with p = 1/2, so the exact conditional binomial
test says how surprising the split is (computed from the binomial tail, vectorised, so that
``change`` can test every row of a long series at once). This is the *least* variation counts of
this size have: real caseloads also move with staffing, policy and recording practice, so "larger
than chance" means "not explained by chance alone", not "a trend".

Rounded source values widen the uncertainty: a value published rounded to 1 000 may be up to 500
off either way. The test uses the least favourable values inside both rounding intervals (the two
pulled towards each other), so a change is only called real if it is real whatever the exact values.

A percent change is not offered from a base below ``MIN_BASE_FOR_PERCENT`` (50): at 50 a single
case moves the percent by 2 points and chance alone moves a count of 50 by about 14%, so a percent
from a smaller base reads far more precise than it is.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .formatting import format_number, format_p_value

ALPHA = 0.05
MIN_BASE_FOR_PERCENT = 50

INCREASE, DECREASE, WITHIN_NOISE = "increase", "decrease", "within_noise"


@dataclass(frozen=True)
class NoiseCheck:
    """The verdict on a change from ``old`` to ``new`` (see :func:`noise_check`).

    Attributes
    ----------
    verdict : str
        ``"increase"`` or ``"decrease"`` when chance alone is unlikely to give the change
        (two-sided p below 0.05), otherwise ``"within_noise"``.
    p_value : float
        Two-sided p-value of the exact conditional binomial test on the least favourable counts.
    z : float
        The same comparison as a normal approximation: (new - old) / sqrt(old + new), on the least
        favourable counts; 0 when rounding alone could explain the change.
    pct_change : float
        Percent change from ``old`` to ``new`` as published (7.7 means 7.7%); NaN when not allowed.
    pct_allowed : bool
        False when the base (the smallest value its rounding allows) is below
        ``MIN_BASE_FOR_PERCENT``.
    pct_range : tuple of float
        The lowest and highest percent change the rounded values allow (equal when both are exact);
        NaN when a percent is not allowed.
    reason : dict
        Why, in Dutch and English: ``{"nl": ..., "en": ...}``.
    """

    verdict: str
    p_value: float
    z: float
    pct_change: float
    pct_allowed: bool
    pct_range: tuple[float, float]
    reason: dict


def rounding_halfwidth(rounded_to):
    """How far a value rounded to ``rounded_to`` may be from the true one (0 for an exact count)."""
    r = np.nan_to_num(np.asarray(rounded_to, dtype=float), nan=1.0)
    half = np.where(r > 1, r / 2, 0.0)
    return half if half.ndim else float(half)


def percent_allowed(base, unit: str | None = "count"):
    """Whether a percent change from ``base`` means something (works on arrays too).

    Never from a missing, zero or negative base; for counts not from a base below
    ``MIN_BASE_FOR_PERCENT``.
    """
    base = np.asarray(np.nan if base is None else base, dtype=float)
    with np.errstate(invalid="ignore"):
        ok = np.isfinite(base) & (base > 0)
        if unit == "count":
            ok &= base >= MIN_BASE_FOR_PERCENT
    return ok if ok.ndim else bool(ok)


def chance_p_values(old, new, rounded_to_old=1, rounded_to_new=1):
    """The test behind :func:`noise_check` for arrays of count pairs: (p_value, z, rounding_explains).

    Least favourable true values: each count is pulled towards the other by at most half its
    rounding. Given their sum n, the newer count k is binomial(n, 1/2) if both come from the same
    rate; that distribution is symmetric, so the exact two-sided p-value is twice the lower tail of
    the smaller share (1 when the split is even). Inputs must be finite and non-negative.
    """
    from scipy import special  # imported here: scipy costs start-up time that `import analysis` should not

    old, new = np.asarray(old, dtype=float), np.asarray(new, dtype=float)
    h_old, h_new = rounding_halfwidth(rounded_to_old), rounding_halfwidth(rounded_to_new)
    up = new >= old
    old_lf = np.where(up, old + h_old, old - h_old)
    new_lf = np.where(up, new - h_new, new + h_new)
    explained = (new - old) * (new_lf - old_lf) <= 0
    k = np.rint(np.maximum(new_lf, 0)).astype(np.int64)
    n = k + np.rint(np.maximum(old_lf, 0)).astype(np.int64)
    tail = special.bdtr(np.minimum(k, n - k), n, 0.5)
    p = np.where(explained | (2 * k == n), 1.0, np.minimum(1.0, 2 * tail))
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(explained, 0.0, (new_lf - old_lf) / np.sqrt(new_lf + old_lf))
    return p, z, explained


def verdicts(p_value, old, new):
    """"increase" / "decrease" where p is below ``ALPHA``, else "within_noise" (arrays)."""
    direction = np.where(np.asarray(new) > np.asarray(old), INCREASE, DECREASE)
    return np.where(np.asarray(p_value) < ALPHA, direction, WITHIN_NOISE)


def _check_count(name: str, value) -> float:
    try:
        value = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"noise_check: {name} must be a number, got {value!r}") from None
    if not math.isfinite(value):
        raise ValueError(f"noise_check: {name} is missing ({value!r}); there is nothing to compare")
    if value < 0:
        raise ValueError(f"noise_check: {name} is {value:g}, but a count cannot be negative")
    return value


def noise_check(old, new, rounded_to_old: int = 1, rounded_to_new: int = 1) -> NoiseCheck:
    """Test whether the change from count ``old`` to count ``new`` is larger than chance gives.

    Parameters
    ----------
    old, new : float
        The earlier and the later count (non-negative; not missing).
    rounded_to_old, rounded_to_new : int, default 1
        How the source rounded each value (1 exact, 100, 1000 ...). Rounding widens the
        uncertainty: the test uses the least favourable true values within half the rounding.

    Returns
    -------
    NoiseCheck
        Verdict, p-value, z, percent change (with whether a percent is allowed and the range the
        rounding leaves) and the reason in Dutch and English.

    Raises
    ------
    ValueError
        If a count is missing, not a number or negative.

    Examples
    --------
    >>> noise_check(3156, 3400).verdict
    'increase'
    >>> noise_check(654, 642).verdict
    'within_noise'
    """
    old, new = _check_count("old", old), _check_count("new", new)
    h_old, h_new = rounding_halfwidth(rounded_to_old), rounding_halfwidth(rounded_to_new)
    p, z, explained = chance_p_values(old, new, rounded_to_old, rounded_to_new)
    p_value, z, rounding_explains = float(p), float(z), bool(explained)
    verdict = str(verdicts(p_value, old, new))

    # The smallest base the rounding allows must carry a percent, not only the published one.
    allowed = percent_allowed(old - h_old, "count")
    if allowed:
        pct = (new - old) / old * 100
        pct_range = (((new - h_new) - (old + h_old)) / (old + h_old) * 100,
                     ((new + h_new) - (old - h_old)) / (old - h_old) * 100)
    else:
        pct, pct_range = math.nan, (math.nan, math.nan)

    return NoiseCheck(verdict, p_value, z, pct, allowed, pct_range, _reason(verdict, rounding_explains, p_value, old, allowed, h_old or h_new))


def _reason(verdict, rounding_explains, p_value, base, pct_allowed, rounded) -> dict:
    if rounding_explains:
        nl = "Het verschil valt binnen de afronding van de gepubliceerde cijfers."
        en = "The difference lies within the rounding of the published figures."
    elif verdict == WITHIN_NOISE:
        nl = f"Zo'n verschil geeft toeval bij aantallen van deze omvang vaak ({format_p_value(p_value, 'nl')})."
        en = f"Chance alone often gives a difference like this for counts of this size ({format_p_value(p_value, 'en')})."
    else:
        nl = f"Groter dan toeval alleen bij aantallen van deze omvang geeft ({format_p_value(p_value, 'nl')})."
        en = f"Larger than chance alone gives for counts of this size ({format_p_value(p_value, 'en')})."
    if rounded and not rounding_explains:
        nl += " De afronding is meegenomen."
        en += " The rounding is taken into account."
    if not pct_allowed:
        nl += f" Geen percentage: de basis ({format_number(base, 'nl')}) is kleiner dan {MIN_BASE_FOR_PERCENT}."
        en += f" No percentage: the base ({format_number(base, 'en')}) is below {MIN_BASE_FOR_PERCENT}."
    return {"nl": nl, "en": en}
