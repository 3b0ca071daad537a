"""Roster data quality, household risk colours and the visit schedule (no Qt)."""
