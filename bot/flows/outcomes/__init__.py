"""Outcomes, step by step: a participant's "🎉 I found a job!" (`found_job`) and the job, training
or leaving staff record with `/outcome` (`record`)."""
