"""Issue 15 on the pages: odd query values and extreme dates get a French 400 page, a speaker page survives any
stored date, /try saves only what the API would accept (and the NFC form of the text)."""
import re
import unicodedata
from datetime import datetime

import pytest
from sqlalchemy import select

from quotes.models import Document, Speaker

from .conftest import record, save
from .test_try_page import ARTICLE, csrf_from, preview, rows

HTML = {"Accept": "text/html"}


@pytest.mark.parametrize("dates", [
    [datetime(1, 1, 1)], [datetime(1, 6, 15)], [datetime(9999, 12, 1)], [datetime(9999, 12, 31, 23, 59)],
    [datetime(1, 1, 1), datetime(9999, 12, 31), datetime(2022, 5, 1), None],
])
def test_a_speaker_page_survives_dates_stored_before_the_range_existed(client, app, dates):
    for n, published in enumerate(dates):
        text = f"«Nous verrons {n}», a déclaré Jean Dupont."
        save(app, text, [record(text, f"«Nous verrons {n}»", "Jean Dupont")], published_at=published)
    with app.extensions["db"].session_scope() as session:
        sid = session.scalar(select(Speaker.id))
    response = client.get(f"/speakers/{sid}", headers=HTML)
    body = response.get_data(as_text=True)
    assert response.status_code == 200, body[:300]
    assert "Jean Dupont" in body and body.count('class="result"') == len(dates)
