"""Participants: Telegram accounts, registration with consent, the counsellor who follows
them, invites and caseload imports, data rights (export, erasure)."""
