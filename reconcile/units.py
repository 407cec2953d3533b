"""Units of measure in one canonical unit per class, converted with pint.

``rules/lexicon/units.yml`` maps written units to pint names and classes (``measures``) and names each
class's canonical unit (``canonical``): "200 feet" and "60 metres" are both metres, "62 mph" and
"100 km/h" both km/h. Money is not converted here: it stays in its currency.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any

from reconcile.lexicon import Lexicon

__all__ = ["canonical"]


@lru_cache(maxsize=1)
def _registry() -> Any:
    import pint  # imported on first use: most sentences have no unit of measure

    return pint.UnitRegistry()


def _identity(v: float) -> float:
    return v


@lru_cache(maxsize=512)
def _converter(unit: str, target: str) -> Callable[[float], float] | None:
    """A function from ``unit`` to ``target`` (offsets included, as for temperatures), or None."""
    import pint

    ureg = _registry()
    try:
        ureg.Quantity(1.0, unit).to(target)
    except (pint.errors.PintError, AttributeError, TypeError, ValueError):
        return None
    if unit == target:
        return _identity

    def convert(v: float) -> float:
        return float(f"{ureg.Quantity(v, unit).to(target).magnitude:.10g}")

    return convert


def canonical(unit: str, lex: Lexicon) -> tuple[str | None, Callable[[float], float]]:
    """The canonical unit of ``unit``'s class and the conversion into it; (None, identity) if unknown."""
    cls = _class_of(lex, unit)
    target = (lex.raw["units"].get("canonical") or {}).get(cls) if cls else None
    conv = _converter(unit, str(target)) if target else None
    if conv is None:
        return None, _identity
    return str(target), conv


def _class_of(lex: Lexicon, unit: str) -> str | None:
    for cls, table in (lex.raw["units"].get("measures") or {}).items():
        if unit in {str(v) for v in table.values()}:
            return str(cls)
    return None
