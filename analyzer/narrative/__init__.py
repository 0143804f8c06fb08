"""Narrative quality of 一 总体情况, 五 问题及改进 and 六 其他事项: 套话 vs specific content, the five aspects of
总体情况, problems ↔ measures, weak text. See docs/narrative.md.

Modules: ``sentences`` (公文 sentence splitting), ``features`` + ``linear`` (classifier features and plain-data
linear models), ``aspects``, ``matching``, ``analyze`` (one analysis per report, run through the spaCy pipeline in
``analyzer/nlp.py``), ``rules`` (BLR-5xx / CMP-6xx), ``corpus`` and ``model_card`` (training support).
"""
