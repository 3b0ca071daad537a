"""Visits to households, their photos and the 问题整改 ledger (UI-free core of issue 3).

``visit`` runs a visit from draft to completion, ``ledger`` follows each finding to
已销号, ``photos`` keeps picture evidence in the data folder. All writes go through
``Store.write`` so every change is journaled for sync.
"""
