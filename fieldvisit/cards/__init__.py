"""明白卡: household cards as PDF, from a layout kept as data (resources/cards)."""
