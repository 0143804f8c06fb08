"""Load and validate the configuration file: ``nianbao.toml`` or ``[tool.nianbao]`` in ``pyproject.toml``.

Discovery walks up from the input file (or directory) to the filesystem root and takes the first ``nianbao.toml``,
or the first ``pyproject.toml`` that has a ``[tool.nianbao]`` table (a pyproject without one is skipped, as ruff
does). ``--config FILE`` bypasses discovery. Every key is validated: a typo must not silently do nothing, so an
unknown key, a wrong type, an unknown rule id or a missing lexicon file is a ``NianbaoError("config_invalid", …)``
naming the file and the key.

Shape (all tables optional)::

    fail_level = "warning"                      # error | warning | info: the exit code threshold
    [rules]
    disable  = ["BLR-501", "PUNC-"]             # ids, or a family prefix ending in "-"
    enable   = ["TYPO-202"]                     # opt-in rules that are off by default
    severity = { "PUNC-301" = "info" }
    [thresholds]
    copy_ratio = 0.5
    boilerplate_probability = 0.85
    [weights]                                   # score weights, keys of lexicons/score_weights.json
    "report.table" = 0.3
    penalty = { error = 15 }
    [lexicons]
    allowed_terms = ["一网通办"]                 # never reported as typos
    allowed_terms_files = ["terms.txt"]         # one term per line, '#' comments, relative to this file
    unit_names = ["某某市某某区人民政府办公室"]
    unit_names_files = ["units.txt"]
    [[allow]]                                   # silence a rule and/or a span, optionally for one unit only
    rule = "TYPO-201"
    text = "一网通办"
    unit = "某某市人民政府办公室"
    reason = "本地规范用语"
"""

from __future__ import annotations

import math
import re
import tomllib
from pathlib import Path
from typing import Any

from .config import DEFAULT_THRESHOLDS, Config
from .errors import NianbaoError

CONFIG_NAME = "nianbao.toml"
PYPROJECT = "pyproject.toml"

SEVERITIES = ("error", "warning", "info")
TOP_KEYS = {"fail_level", "rules", "thresholds", "weights", "lexicons", "allow"}
RULES_KEYS = {"disable", "enable", "severity"}
# (no generic "extra lexicons" key: nothing would read it, and a setting that silently does nothing is a trap)
LEXICON_KEYS = {"allowed_terms", "allowed_terms_files", "unit_names", "unit_names_files"}
ALLOW_KEYS = {"rule", "text", "unit", "reason"}
# thresholds that are probabilities/ratios must lie in [0, 1]; the others must be positive
UNIT_INTERVAL_THRESHOLDS = {"copy_ratio", "boilerplate_probability"}

_RULE_ID = re.compile(r"^[A-Z]{3,4}-\d{3}$")
_RULE_PREFIX = re.compile(r"^[A-Z]{3,4}-$")  # a whole family, e.g. "PUNC-" (Config.rule_enabled matches by prefix)


def find_config(start: Path) -> tuple[Path, str] | None:
    """The first config file walking up from ``start``: (path, prefix) where prefix is the key path in that file."""
    start = start.resolve()
    here = start if start.is_dir() else start.parent
    for folder in (here, *here.parents):
        candidate = folder / CONFIG_NAME
        if candidate.is_file():
            return candidate, ""
        candidate = folder / PYPROJECT
        if candidate.is_file() and _pyproject_has_section(candidate):
            return candidate, "tool.nianbao."
    return None


def load_config(config_path: Path | None = None, start: Path | None = None) -> Config:
    """Read ``config_path`` (``--config``), or discover a config from ``start``; defaults when there is none."""
    if config_path is not None:
        path = Path(config_path)
        if not path.is_file():
            raise NianbaoError("config_invalid", f"{path}: configuration file not found")
        prefix = "tool.nianbao." if path.name == PYPROJECT else ""
    elif start is not None:
        found = find_config(Path(start))
        if found is None:
            return Config()
        path, prefix = found
    else:
        return Config()
    data = _read_toml(path)
    if prefix:
        data = data.get("tool", {}).get("nianbao")
        if not isinstance(data, dict):
            raise NianbaoError("config_invalid", f"{path}: no [tool.nianbao] table")
    return config_from_dict(data, path, prefix)


def config_from_dict(data: dict[str, Any], path: Path, prefix: str = "") -> Config:
    """Validate a parsed config table and build a ``Config``. ``prefix`` is only used to name keys in messages."""
    v = _Validator(path, prefix)
    cfg = Config(source=str(path))
    v.known(data, TOP_KEYS, "")

    if "fail_level" in data:
        cfg.fail_level = v.choice(data["fail_level"], SEVERITIES, "fail_level")

    rules = v.table(data.get("rules", {}), "rules")
    v.known(rules, RULES_KEYS, "rules.")
    cfg.disabled_rules = set(v.rule_ids(rules.get("disable", []), "rules.disable", allow_prefix=True))
    cfg.enabled_rules = set(v.rule_ids(rules.get("enable", []), "rules.enable", allow_prefix=False))
    both = cfg.disabled_rules & cfg.enabled_rules
    if both:
        v.fail(f"rule {sorted(both)[0]} is both in rules.disable and rules.enable")
    severity = v.table(rules.get("severity", {}), "rules.severity")
    for rule_id, sev in severity.items():
        v.rule_ids([rule_id], f"rules.severity.{rule_id}", allow_prefix=False)
        cfg.severity_overrides[rule_id] = v.choice(sev, SEVERITIES, f"rules.severity.{rule_id}")

    thresholds = v.table(data.get("thresholds", {}), "thresholds")
    v.known(thresholds, set(DEFAULT_THRESHOLDS), "thresholds.")
    for name, value in thresholds.items():
        num = v.number(value, f"thresholds.{name}")
        if name in UNIT_INTERVAL_THRESHOLDS and not 0.0 <= num <= 1.0:
            v.fail(f"'thresholds.{name}' must be between 0 and 1 (got {value})", key=f"thresholds.{name}")
        if name not in UNIT_INTERVAL_THRESHOLDS and num <= 0:
            v.fail(f"'thresholds.{name}' must be positive (got {value})", key=f"thresholds.{name}")
        cfg.thresholds[name] = num

    # Score weights: dotted keys into lexicons/score_weights.json ("report.table" = 0.3), or the same as
    # nested tables ([weights.penalty] error = 20); score.load_weights applies them.
    known_weights = _known_weight_keys()
    for name, value in _flatten(v.table(data.get("weights", {}), "weights")).items():
        key = f"weights.{name}"
        if known_weights is not None and name not in known_weights:
            v.fail(f"unknown key '{key}' (score weights are: {', '.join(sorted(known_weights))})", key=key)
        num = v.number(value, key)
        if num < 0:
            v.fail(f"'{key}' must not be negative (got {value})", key=key)
        cfg.weights[name] = num

    lex = v.table(data.get("lexicons", {}), "lexicons")
    v.known(lex, LEXICON_KEYS, "lexicons.")
    cfg.allowed_terms = set(v.strings(lex.get("allowed_terms", []), "lexicons.allowed_terms"))
    for f in v.files(lex.get("allowed_terms_files", []), "lexicons.allowed_terms_files"):
        cfg.allowed_terms.update(_read_list_file(f))
        cfg.extra_lexicons.append(str(f))
    cfg.unit_names = set(v.strings(lex.get("unit_names", []), "lexicons.unit_names"))
    for f in v.files(lex.get("unit_names_files", []), "lexicons.unit_names_files"):
        cfg.unit_names.update(_read_list_file(f))
        cfg.extra_lexicons.append(str(f))

    allow = data.get("allow", [])
    if not isinstance(allow, list):
        v.fail("'allow' must be an array of tables ([[allow]])", key="allow")
    for i, entry in enumerate(allow):
        key = f"allow[{i}]"
        entry = v.table(entry, key)
        v.known(entry, ALLOW_KEYS, key + ".")
        for k, val in entry.items():
            if not isinstance(val, str) or not val.strip():
                v.fail(f"'{key}.{k}' must be a non-empty string", key=f"{key}.{k}")
        if "rule" not in entry and "text" not in entry:
            v.fail(f"'{key}' needs 'rule' or 'text' (a unit alone would silence nothing)", key=key)
        if "rule" in entry:
            v.rule_ids([entry["rule"]], f"{key}.rule", allow_prefix=True)
        cfg.allow.append({k: entry[k] for k in ("rule", "text", "unit", "reason") if k in entry})
    return cfg


# ---------------------------------------------------------------- helpers


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise NianbaoError("config_invalid", f"{path}: not valid TOML ({exc})") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise NianbaoError("config_invalid", f"{path}: cannot be read ({exc})") from None


def _pyproject_has_section(path: Path) -> bool:
    # A broken pyproject.toml that we were not asked to read is not our error to report: skip it.
    try:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
    except (tomllib.TOMLDecodeError, OSError, UnicodeDecodeError):
        return False
    return isinstance(data.get("tool"), dict) and "nianbao" in data["tool"]


def _read_list_file(path: Path) -> list[str]:
    out = []
    for line in path.read_text(encoding="utf-8-sig").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            out.append(line)
    return out


def _flatten(table: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, val in table.items():
        if isinstance(val, dict):
            out.update(_flatten(val, f"{prefix}{k}."))
        else:
            out[f"{prefix}{k}"] = val
    return out


def _known_weight_keys() -> set[str] | None:
    """Dotted paths of the numeric values in the score weights file (None if it cannot be read)."""
    from .resources import load_json_lexicon

    try:
        weights = load_json_lexicon("score_weights.json")
    except (OSError, ValueError):
        return None
    flat = _flatten({k: val for k, val in weights.items() if not k.startswith("_")})
    return {k for k, val in flat.items() if isinstance(val, (int, float)) and not isinstance(val, bool)}


def _known_rule_ids() -> set[str] | None:
    """Ids in the registry, or None when the rule modules cannot be loaded (then only the id shape is checked)."""
    from .rules import load_all_rules

    try:
        return set(load_all_rules())
    except Exception:  # a broken rule module fails loudly in the pipeline; here it only weakens validation
        return None


class _Validator:
    def __init__(self, path: Path, prefix: str):
        self.path = path
        self.prefix = prefix
        self._rule_ids: set[str] | None | bool = False  # False = not looked up yet

    def fail(self, message: str, key: str | None = None) -> None:
        if self.prefix and key is not None:
            message = message.replace(f"'{key}", f"'{self.prefix}{key}", 1)
        raise NianbaoError("config_invalid", f"{self.path}: {message}")

    def known(self, table: dict[str, Any], allowed: set[str], where: str) -> None:
        for key in table:
            if key not in allowed:
                hint = ", ".join(sorted(allowed))
                self.fail(f"unknown key '{where}{key}' (expected one of: {hint})", key=f"{where}{key}")

    def table(self, value: Any, key: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            self.fail(f"'{key}' must be a table", key=key)
        return value

    def choice(self, value: Any, choices: tuple[str, ...], key: str) -> str:
        if value not in choices:
            self.fail(f"'{key}' must be one of {', '.join(choices)} (got {value!r})", key=key)
        return value

    def number(self, value: Any, key: str) -> float:
        # TOML allows inf and nan; neither makes sense as a threshold or a weight, and negative values neither
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value < 0:
            self.fail(f"'{key}' must be a finite, non-negative number (got {value!r})", key=key)
        return float(value)

    def strings(self, value: Any, key: str) -> list[str]:
        if not isinstance(value, list) or not all(isinstance(x, str) and x.strip() for x in value):
            self.fail(f"'{key}' must be a list of non-empty strings", key=key)
        return [x.strip() for x in value]

    def rule_ids(self, value: Any, key: str, allow_prefix: bool) -> list[str]:
        ids = self.strings(value, key)
        if self._rule_ids is False:
            self._rule_ids = _known_rule_ids()
        for rule_id in ids:
            if allow_prefix and _RULE_PREFIX.match(rule_id):
                family = rule_id
                if self._rule_ids and not any(r.startswith(family) for r in self._rule_ids):
                    self.fail(f"'{key}': no rule starts with {rule_id!r}", key=key)
                continue
            if not _RULE_ID.match(rule_id):
                self.fail(f"'{key}': {rule_id!r} is not a rule id like 'TBL-101'", key=key)
            if self._rule_ids and rule_id not in self._rule_ids:
                self.fail(f"'{key}': unknown rule {rule_id!r} (see `nianbao rules`)", key=key)
        return ids

    def files(self, value: Any, key: str) -> list[Path]:
        out = []
        for name in self.strings(value, key):
            p = Path(name)
            if not p.is_absolute():
                p = self.path.parent / p  # relative to the config file, not the working directory
            if not p.is_file():
                self.fail(f"'{key}': file not found: {p}", key=key)
            out.append(p.resolve())
        return out
