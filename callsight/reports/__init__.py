"""Branch reports (网点报告), the firm summary and trend alerts.

Pure parts: periods, complaints (category classifier), stats (count tests), prose,
charts. Database parts: facts (sync from a result), queries (SQL aggregation),
alerts (detection + storage), build (assembling one report), render (HTML/PDF),
jobs (generation with its own sessions, for the CLI and Celery tasks).
"""
