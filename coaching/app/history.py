"""An operator's own reports over time: now read by the store (:mod:`coaching.store.reports`)."""

from coaching.store.reports import MAX_CALLS, report_history

__all__ = ["MAX_CALLS", "report_history"]
