"""Importing this package registers every rule. One line per rule module, in pipeline order."""

from . import structure_rules  # noqa: F401  STR-*: sections, preamble, sign-off
from ..tables import checks as table_checks  # noqa: F401  TBL-*: table identities, cells, cross-year
from ..tables import consistency  # noqa: F401  CON-1xx: narrative ↔ table numbers
from ..text import rules as text_rules  # noqa: F401  TYPO-*, PUNC-*, FMT-*, CON-2xx: writing errors and facts
from ..narrative import rules as narrative_rules  # noqa: F401  BLR-*, CMP-*: boilerplate, completeness
from .. import copy as copy_rules  # noqa: F401  CPY-*: year-over-year copying
