"""Residents' satisfaction survey (满意度测评): settings, one-time cards, the printed PDF."""
