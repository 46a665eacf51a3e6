"""The review document's "changes since" section: what a clinician re-signing a guideline needs
to know about the version they signed before. Built by `mmdsl.diff.review` (the back ends do not
compare versions); only carried and shown here."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class DecisionChangeView:
    """One change of decision, for every patient of `groups`."""

    what: str  # "ide-cel (preferred) and cilta-cel (preferred) are now offered"
    groups: tuple[str, ...]  # the patients it happens to, each group in the guideline's words
    groups_not_listed: int  # groups past the comparison's limit, said plainly (never hidden)
    example: str  # one such patient in words
    before: str  # that patient's options in the earlier version
    after: str  # and in this one


@dataclass(frozen=True, slots=True)
class ChangesView:
    since: str  # "version 1.0.0"
    compared_with: str  # the earlier file as named: "tables/x.mmdsl at v1.0.0"
    summary: str  # one sentence for the summary's checks
    checked: bool  # the comparison ran to the end; without it nothing is claimed
    not_checked_because: str
    decisions: tuple[DecisionChangeView, ...]
    statements: tuple[str, ...]  # every statement of the text that changed (technical appendix)

    @property
    def no_decision_changes(self) -> bool:
        return self.checked and not self.decisions
