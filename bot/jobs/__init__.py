"""The clock's jobs, one module per area (vacancies, desk, sessions, broadcasts): each job
opens its own transaction and calls the area's services; `bot/app.py` schedules them."""
