"""The residents' survey: cards, answers, the organiser's live view, tallies for the paper."""
