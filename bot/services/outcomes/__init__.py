"""Outcomes: a job, a training or leaving the programme, and the participant's status."""
