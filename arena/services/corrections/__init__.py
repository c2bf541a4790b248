"""Corrections an organiser makes to a round: withdraw a deduction or a satisfaction figure, void
a judge's sheet, enter a paper sheet on a judge's behalf (代录), and the checks before lock and
publish. Every write is idempotent and audited through ScoreWriter.write."""

from arena.services.corrections.checks import Check, round_checks, unconfirmed
from arena.services.corrections.writes import CorrectionWriter

__all__ = ["Check", "CorrectionWriter", "round_checks", "unconfirmed"]
