"""What every area shares and that knows no area: the bot's time, where content lives, the
reference data (occupations, places), reading imported files and checking their cells."""
