"""The decision library: triage, the hard rules, scoring, reasons and the candidate query. It reads models; it
never writes, notifies, queues or imports a workflow, a task or a view, so it can be read and tested without Celery.
"""
