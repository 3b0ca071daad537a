"""The village roster: households and members, their vocabularies, queries, search,
county-roster import and export."""
