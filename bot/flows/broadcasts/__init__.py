"""Staff write one message to many participants (`/broadcast`): the message, the audience,
the preview, then send."""
