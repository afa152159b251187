"""Staff create an online session step by step (`/newsession`), with a preview of the
invitation (`post`); the organiser types a session's new time, link or seats, or whom to book
(`organiser`)."""
