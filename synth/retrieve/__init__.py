"""Find papers on arXiv and download their PDFs, politely.

arXiv's API terms ask for one request every three seconds on a single connection, and arXiv
answers 429/503 (or an empty page) when it is busy. Every API request therefore goes through
one ``requests.Session`` built by :func:`build_session`::

    arxiv.Client (pagination, feed parsing)
      └── requests.Session
            └── RetryingAdapter   delay between requests, time-out, back-off on 429/503/errors
                  └── HTTPAdapter(pool_maxsize=1)   or a replay adapter in tests

PDFs are downloaded with httpx into ``settings.cache_dir`` and reused from there. Errors are
:class:`~synth.errors.RetrieveError` (or :class:`~synth.errors.RateLimitError` when arXiv keeps
refusing); the messages suggest ``--corpus DIR`` for working offline.

The work is split by concern into private modules: ``_ids`` (arXiv ids and
:class:`PaperMeta`), ``_http`` (the retry policy, :class:`RetryingAdapter` and
:func:`build_session`), ``_arxiv`` (the API client, :func:`search` and :func:`fetch_metadata`)
and ``_download`` (:func:`download_pdf`). Import from ``synth.retrieve``; the private modules
may change. Each logs on its own child of the ``synth.retrieve`` logger.
"""

from synth.retrieve._arxiv import fetch_metadata, make_client, search
from synth.retrieve._download import download_pdf
from synth.retrieve._http import RetryingAdapter, build_session
from synth.retrieve._ids import PaperMeta, parse_arxiv_id

__all__ = [
    "PaperMeta",
    "RetryingAdapter",
    "build_session",
    "download_pdf",
    "fetch_metadata",
    "make_client",
    "parse_arxiv_id",
    "search",
]
