"""A laptop's data at rest: key slots, cadre login, encryption of old stores, recovery by
the county, and backups (see docs/architecture.md, "Encryption at rest")."""
