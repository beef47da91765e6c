"""Notifications derived from the data: a sweep finds what is due (return reminders, alerts,
digests) and writes it to the outbox with an idempotency key; a dispatcher delivers pending items,
grouped one message per person, with retries; APScheduler only ticks the two."""
