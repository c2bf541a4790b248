"""Arena contests (擂台赛): definitions checked whole (scoring: arena.scoring.contest)."""
