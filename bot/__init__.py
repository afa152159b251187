"""En Avant · Vooruit: a Telegram assistant that guides people from the French Nord and from
Wallonia into jobs in West Flanders (composition root: `bot.app`)."""
