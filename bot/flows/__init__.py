"""Multi-step conversations (aiogram-dialog), one package per feature: a question per message,
a way back at every step."""
