"""Service marketing (服务营销): upsell openings, the approved script library, suggested
scripts, next actions, script A/B statistics and the in-call suggestion state.

Pure like nlp/ and qa/: values in, frozen values out; no database, Celery or settings.
"""
