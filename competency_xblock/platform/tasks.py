"""
The Celery task of the cohort figures, found by the platform's workers (see ``apps``).

A ``shared_task``, as Problem Builder's ``export_data``: it binds to whichever Celery app
the process runs (the LMS's, or the workbench demo's, which runs it eagerly when no
broker is set). All it does is in ``cohort_jobs``, which the tests call directly too.
"""
from celery import shared_task

from . import cohort_jobs


@shared_task(name="competency_xblock.cohort_figures", ignore_result=True)
def cohort_figures(job: dict) -> None:
    """Work out the cohort figures of the job ``job`` (``cohort_jobs.start`` made it) and keep them."""
    cohort_jobs.run(job)
