"""Decimal helpers shared by the scoring core: parsing, rounding, division, apportioning cents."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import (
    ROUND_FLOOR,
    ROUND_HALF_EVEN,
    ROUND_HALF_UP,
    Context,
    Decimal,
    DivisionByZero,
    InvalidOperation,
    Overflow,
)

CENT = Decimal("0.01")
RATIO_STEP = Decimal("0.0001")
ZERO = Decimal("0.00")

# One fixed context for every division and rounding, so a result never depends on the calling
# thread's decimal context. 40 digits leave ample room for points in the thousands.
_CONTEXT = Context(
    prec=40, rounding=ROUND_HALF_EVEN, traps=[InvalidOperation, DivisionByZero, Overflow]
)
# Remainders are compared at this step, so that two items whose true remainders are equal
# (1/3 and 4/3 of a cent) stay equal although their 40-digit quotients differ in the last digit.
_REMAINDER_STEP = Decimal("1e-20")


def q2(value: Decimal) -> Decimal:
    """Round to 2 decimals, half up (四舍五入)."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP, context=_CONTEXT)


def q4(value: Decimal) -> Decimal:
    """Round to 4 decimals, half up."""
    return value.quantize(RATIO_STEP, rounding=ROUND_HALF_UP, context=_CONTEXT)


def divide(dividend: Decimal, divisor: Decimal | int) -> Decimal:
    """Divide with 40 significant digits, independent of the thread's decimal context."""
    return _CONTEXT.divide(dividend, Decimal(divisor))


def to_decimal(value: int | float | str | Decimal) -> Decimal:
    """Turn a number from JSON, TOML or a form into a finite Decimal (floats via their str())."""
    if isinstance(value, bool):
        raise ValueError(f"not a number: {value!r}")
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int):
        result = Decimal(value)
    elif isinstance(value, float | str):
        try:
            result = Decimal(str(value).strip())
        except InvalidOperation:
            raise ValueError(f"not a number: {value!r}") from None
    else:
        raise ValueError(f"not a number: {value!r}")
    if not result.is_finite():
        raise ValueError(f"not a finite number: {value!r}")
    return result


def apportion(exact: Mapping[str, Decimal], target: Decimal) -> dict[str, Decimal]:
    """Round each value to a cent so that the rounded values sum exactly to `target`."""
    if target.quantize(CENT, context=_CONTEXT) != target:
        raise ValueError(f"target {target} is not a whole number of cents")
    floors = {
        key: value.quantize(CENT, rounding=ROUND_FLOOR, context=_CONTEXT)
        for key, value in exact.items()
    }
    missing = int(_CONTEXT.divide(target - sum(floors.values(), ZERO), CENT))
    if not 0 <= missing <= len(floors):
        raise ValueError(f"{target} cannot be reached by rounding {dict(exact)} to cents")
    remainders = {
        key: _CONTEXT.subtract(value, floors[key]).quantize(_REMAINDER_STEP, context=_CONTEXT)
        for key, value in exact.items()
    }
    # sorted() is stable: among equal remainders the key given first gets the cent.
    by_remainder = sorted(floors, key=lambda key: remainders[key], reverse=True)
    lucky = set(by_remainder[:missing])
    return {key: floor + CENT if key in lucky else floor for key, floor in floors.items()}
