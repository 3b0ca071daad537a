"""Checklists: forms as data, the safe expression language, findings."""
