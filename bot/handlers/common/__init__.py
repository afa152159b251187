"""What every area's handlers share: the commands everyone has (/start, /menu, /help, /lang,
/cancel), whose menu it is (`home`), screens, errors and expired buttons, and the fallback."""
