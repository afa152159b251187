"""Delivery: the outbox (messages queued in the transaction that decided them), the sender that
leases and sends them at Telegram's pace, and how failures are classified."""
