"""Online sessions from publishing to feedback: whom they invite, seats and waitlists,
reminders, calendar files, staff changes, attendance and feedback, imports from a file."""
