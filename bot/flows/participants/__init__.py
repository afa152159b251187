"""A participant's first contact: the welcome (language, what the programme offers) and
registration with consent."""
