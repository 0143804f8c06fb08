"""Renderers turn Audits into text for people or machines. They compute nothing the Audit does not already hold."""

from __future__ import annotations

from ..model import Audit

FORMATS = ("text", "json", "sarif", "html")


def render(audits: list[Audit], fmt: str, *, color: bool = False) -> str:
    if fmt == "text":
        from .text import render_text

        return render_text(audits, color=color)
    if fmt == "json":
        from .json_ import render_json

        return render_json(audits)
    if fmt == "sarif":
        from .sarif import render_sarif

        return render_sarif(audits)
    if fmt == "html":
        from .html import render_report

        if len(audits) != 1:
            raise ValueError("--format html renders one report; use `nianbao batch --html-dir` for several")
        return render_report(audits[0])
    raise ValueError(f"unknown format {fmt!r}")
