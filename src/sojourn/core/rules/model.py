"""What a rule is, what it yields, and how a versioned ruleset runs.

A rule is a pure function over plain records. It yields ``Finding`` objects: a stable code,
a severity, the official it concerns, the ids of the records it rests on, a sentence a
caseworker can read, the basis it rests on, and a dedupe key so that running the same data
twice never raises the same finding twice. Findings are flags for a person to review, never
verdicts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import IntEnum
from typing import Any


class Severity(IntEnum):
    INFO = 1
    LOW = 2
    MEDIUM = 3
    HIGH = 4
    CRITICAL = 5

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Severity:
        return cls[text.upper()]


@dataclass(frozen=True)
class Finding:
    code: str
    severity: Severity
    official_id: str
    text: str
    basis: str
    dedupe_key: str
    evidence: tuple[str, ...] = ()
    details: Mapping[str, Any] = field(default_factory=dict)
    # Non-empty when the condition has ended (the overdue traveller came back): an open finding with
    # this dedupe key is then resolved with this sentence in its journal. ``raise_if_new`` says whether
    # an ended condition nobody was told about yet is still worth a finding (a late return is; a
    # "missing" person who came back before anyone flagged them is not).
    resolution: str = ""
    raise_if_new: bool = True


@dataclass(frozen=True)
class Context:
    """What every rule may read besides its inputs: the evaluation date and the rule's parameters."""

    as_of: date
    params: Mapping[str, Any]


RuleFunction = Callable[[Context, Mapping[str, Any]], Iterable[Finding]]


@dataclass(frozen=True)
class Rule:
    """A rule's declaration: its code, default severity, basis, inputs and default parameters.

    ``inputs`` names the record sets the rule reads (``officials``, ``post_changes`` …);
    the caller supplies them, so a rule never touches a database.
    """

    code: str
    severity: Severity
    basis: str
    inputs: tuple[str, ...]
    function: RuleFunction
    defaults: Mapping[str, Any] = field(default_factory=dict)

    @property
    def doc(self) -> str:
        return (self.function.__doc__ or "").strip()


@dataclass(frozen=True)
class Ruleset:
    """A declared list of rules with a version. Changing a rule's meaning means a new version."""

    version: str
    rules: tuple[Rule, ...]
    disabled: frozenset[str] = frozenset()
    overrides: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)

    @property
    def enabled(self) -> tuple[Rule, ...]:
        return tuple(r for r in self.rules if r.code not in self.disabled)

    def inputs(self) -> frozenset[str]:
        return frozenset(name for rule in self.enabled for name in rule.inputs)

    def params(self, rule: Rule) -> dict[str, Any]:
        return {**rule.defaults, **self.overrides.get(rule.code, {})}

    def evaluate(self, inputs: Mapping[str, Any], *, as_of: date) -> Iterator[Finding]:
        """Run every enabled rule over the inputs; findings come out in rule order."""
        for rule in self.enabled:
            missing = [name for name in rule.inputs if name not in inputs]
            if missing:
                raise KeyError(f"rule {rule.code} needs inputs {missing}")
            yield from rule.function(Context(as_of=as_of, params=self.params(rule)), inputs)


def rule(
    code: str, *, severity: Severity, basis: str, inputs: tuple[str, ...], **defaults: Any
) -> Callable[[RuleFunction], Rule]:
    """Declare a rule function; its docstring is the rule's user documentation."""

    def wrap(function: RuleFunction) -> Rule:
        return Rule(code, severity, basis, inputs, function, defaults)

    return wrap
