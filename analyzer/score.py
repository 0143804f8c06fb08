"""Scores (placeholder until the scoring model lands): leaves ``Audit.score`` as None."""

from __future__ import annotations

from .config import Config
from .model import Audit


def score_audit(audit: Audit, config: Config) -> None:
    audit.score = None
