"""The bot's HTTP side: the webhook (Telegram posts updates to it), the inbox that keeps an
update from the moment it is answered until it is handled, and the operators' endpoints
(/healthz, /readyz, /metrics). A top layer: it knows the dispatcher, never a feature area."""
