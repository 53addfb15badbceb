"""The lowest layer: value types every other package shares (transcripts, the call
result, enumerations). Imports nothing of ours and nothing heavy, so asr/, nlp/, qa/
and upsell/ can depend on it without depending on the application package."""
