"""Exact splitting of an amount over a basis (largest-remainder method).

Kept free of any ORM access so that it can be tested by a plain table and reused by
every allocation path of the module (landed costs and our own journal entries).
"""

from fractions import Fraction


class ZeroBasisError(ValueError):
    """Raised when the basis of a split sums to zero, so no share can be computed."""


def _to_fraction(value):
    # str() keeps the decimal value a user typed (0.1 stays 1/10) instead of the
    # binary approximation a float holds.
    if isinstance(value, Fraction):
        return value
    return Fraction(str(value))


def split_largest_remainder(amount, weights, digits=2):
    """Split ``amount`` over ``weights`` so that the parts sum to it exactly.

    Each share is first truncated to the currency's smallest unit; the units still
    missing are then given, one each, to the shares with the largest truncated
    remainders (the first share wins a tie). Parts therefore have the sign of
    ``amount``, never the opposite one, and differ from the exact proportional
    value by less than one unit.

    :param amount: the amount to split (a float, int or Fraction); a negative
        amount is split like its absolute value, then negated.
    :param weights: iterable of non-negative basis values, one per recipient.
    :param digits: number of decimals of the currency (0 for whole units).
    :return: list of floats, one per weight, rounded to ``digits`` decimals.
    :raise ZeroBasisError: when the weights sum to zero (or there are none).
    :raise ValueError: when a weight is negative.
    """
    weights = [_to_fraction(weight) for weight in weights]
    if any(weight < 0 for weight in weights):
        raise ValueError("Weights of a split cannot be negative.")
    total_weight = sum(weights, Fraction(0))
    if not total_weight:
        raise ZeroBasisError("The basis of the split sums to zero.")
    scale = 10**digits
    exact_units = _to_fraction(amount) * scale
    sign = -1 if exact_units < 0 else 1
    # Round the amount itself half away from zero to whole units first.
    total_units = int(abs(exact_units) + Fraction(1, 2))
    exact_shares = [total_units * weight / total_weight for weight in weights]
    units = [int(share) for share in exact_shares]  # truncation, shares are >= 0
    missing = total_units - sum(units)
    by_remainder = sorted(
        range(len(weights)),
        key=lambda index: (-(exact_shares[index] - units[index]), index),
    )
    for index in by_remainder[:missing]:
        units[index] += 1
    return [sign * unit / scale for unit in units]
