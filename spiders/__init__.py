"""The akhbar crawler: discover article URLs (feeds, sitemaps, sections) and fetch them.

Run it as a subprocess only: ``python -m spiders crawl --sources FILE --source NAME
--date YYYY-MM-DD --lake URI``. Nothing here parses article content.
"""
