"""Backups on the day: consistent snapshots with their audit head, automatic copies, restore."""
