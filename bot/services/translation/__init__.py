"""Vacancy translation Dutch <-> French: cache, glossary, providers (deep-translator), fallback."""
