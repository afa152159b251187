"""The FAQ: short sourced answers about working in West Flanders, searched in both languages."""
