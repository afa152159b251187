"""The bot outside private chats: the note it says once per group, kept in the database."""
