"""Configuration: rule selection, severities, thresholds, score weights, extra lexicons, allow-lists.

Defaults live here; a ``nianbao.toml`` (or ``[tool.nianbao]`` in ``pyproject.toml``) found by walking up from the
input, or ``--config FILE``, overrides them. See the README's "Configuration" section.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

DEFAULT_THRESHOLDS: dict[str, float] = {
    "copy_ratio": 0.50,  # year-over-year 重复率 above which CPY-701 fires (local assessment rules use 50%)
    "boilerplate_probability": 0.80,  # sentence-level 套话 probability above which BLR-501 fires
    "max_sentence_chars": 150,
    "aspect_probability": 0.50,  # a 总体情况 sentence this likely to report an aspect covers it (CMP-601)
    "generic_section_specificity": 0.25,  # narrative section specificity (0-1) below which BLR-502 fires
    "short_section_ratio": 0.25,  # narrative section shorter than this share of the corpus median → CMP-607
    "problem_match_min": 0.20,  # a problem whose best measure scores below this is unanswered (CMP-602)
    "max_input_mb": 50,  # refuse larger input files
    "max_unzipped_mb": 200,  # zip-bomb guard: total uncompressed size of a .docx
    "max_zip_ratio": 200,  # zip-bomb guard: compression ratio of any member
    "timeout_seconds": 60,  # per-file timeout in batch
}


@dataclass
class Config:
    disabled_rules: set[str] = field(default_factory=set)
    enabled_rules: set[str] = field(default_factory=set)  # opt-in rules that are off by default
    severity_overrides: dict[str, str] = field(default_factory=dict)
    thresholds: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_THRESHOLDS))
    weights: dict[str, float] = field(default_factory=dict)  # score weights; empty = defaults from lexicons
    extra_lexicons: list[str] = field(default_factory=list)
    allowed_terms: set[str] = field(default_factory=set)
    unit_names: set[str] = field(default_factory=set)
    allow: list[dict[str, Any]] = field(default_factory=list)  # suppressions: {rule?, text?, unit?}
    fail_level: str = "error"
    source: str | None = None  # path of the config file in effect

    def threshold(self, name: str) -> float:
        return float(self.thresholds.get(name, DEFAULT_THRESHOLDS.get(name, 0.0)))

    def rule_enabled(self, rule_id: str, default_enabled: bool = True) -> bool:
        if rule_id in self.disabled_rules or any(rule_id.startswith(p) for p in self.disabled_rules if p.endswith("-")):
            return False
        if not default_enabled:
            return rule_id in self.enabled_rules
        return True
