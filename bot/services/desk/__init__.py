"""Escalation: tickets (a participant's request to talk to a human), who answers, deadlines,
the desk topic's card."""
