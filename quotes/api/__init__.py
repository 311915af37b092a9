"""The JSON API under /api: one blueprint a resource, registered by ``quotes.create_app``.

Path ids are bounded to SQLite's 64-bit integers so that a huge id is a 404, not an overflow.
"""
ID = "int(max=9223372036854775807)"
MAX_ID = 2**63 - 1
