"""Rule registry: every rule is data (id, title, category, severity, rationale, examples) plus a small function.

Rule ids: a family prefix and a three-digit number, stable forever once published.

    STR-1xx  structure: sections, preamble, sign-off        (category structure / format)
    TBL-1xx  table 三 identities;  TBL-2xx table 四;  TBL-3xx table 二;  TBL-4xx all cells;  TBL-5xx cross-year
    CON-1xx  consistency: narrative ↔ table, years, unit names, dates
    TYPO-2xx typos in official terms and ordinary words
    PUNC-3xx punctuation and writing norms
    FMT-4xx  format: template artifacts, citations, format version, malformed dates
    BLR-5xx  boilerplate / specificity
    CMP-6xx  completeness of the narrative
    CPY-7xx  copying (year over year, across reports)

A check function takes ``(report, ctx)`` and yields ``Finding`` and/or ``Check`` objects. Functions register with
``@register(Rule(...))``; several rule ids may share one function (``@register`` on a function that yields findings
for ids declared with ``Rule`` entries via ``declare``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Iterable

if TYPE_CHECKING:  # pragma: no cover
    from .config import Config
    from .model import Check, Finding, Report


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    category: str
    severity: str  # default severity: error | warning | info
    rationale: str
    example_fail: str = ""
    example_pass: str = ""
    scope: str = "report"  # "report" (one report) | "pair" (needs --previous) | "batch" (many reports)
    default_enabled: bool = True


@dataclass
class CheckContext:
    """What a check may use besides the report: configuration, the previous year's report, shared resources."""

    config: "Config"
    previous: "Report | None" = None
    cache: dict[str, Any] = field(default_factory=dict)  # per-audit scratch space shared between checks


CheckFn = Callable[["Report", CheckContext], Iterable["Finding | Check"]]

RULES: dict[str, Rule] = {}
CHECKS: list[tuple[tuple[str, ...], CheckFn]] = []


def declare(rule: Rule) -> Rule:
    """Record a rule's metadata without a function (for rules produced by a shared check function)."""
    if rule.id in RULES and RULES[rule.id] != rule:
        raise ValueError(f"rule {rule.id} declared twice with different metadata")
    RULES[rule.id] = rule
    return rule


def register(*rules: Rule) -> Callable[[CheckFn], CheckFn]:
    """Register a check function producing findings/checks for the given rule(s)."""

    def deco(fn: CheckFn) -> CheckFn:
        for r in rules:
            declare(r)
        CHECKS.append((tuple(r.id for r in rules), fn))
        return fn

    return deco


def load_all_rules() -> dict[str, Rule]:
    """Import every module that registers rules (kept lazy so `nianbao --version` stays light)."""
    from . import checks  # noqa: F401  (imports every rule module)

    return RULES
