"""Vacancies: the rules an offer must meet, imports, matching people to offers and why,
alerts and digests, the cards people read."""
