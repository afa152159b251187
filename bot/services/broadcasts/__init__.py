"""Broadcasts: one message to many participants, the audience a staff member may reach,
progress and report."""
