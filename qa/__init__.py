"""Script compliance: rule packs (YAML) evaluated on transcripts, scored into two scorecards.

Pure: a transcript, a pack and optional meta/analysis in; a frozen ComplianceResult out.
"""

from qa.conditions import RuleError
from qa.engine import Scores, build_context, evaluate, rescore
from qa.model import CallContext, ComplianceResult, Evidence, Finding, Rule, RulePack, ScorecardDef
from qa.pack import DEFAULT_PACK_DIR, load_pack, load_rules_text

__all__ = [
    "DEFAULT_PACK_DIR",
    "CallContext",
    "ComplianceResult",
    "Evidence",
    "Finding",
    "Rule",
    "RuleError",
    "RulePack",
    "ScorecardDef",
    "Scores",
    "build_context",
    "evaluate",
    "load_pack",
    "load_rules_text",
    "rescore",
]
