"""The pages in a real headless Chromium (Debian's package, driven by Playwright), as a journalist would use them.

The app runs on a free loopback port with a temporary migrated database, seeded through the real
extractor. A screenshot of each page goes to test-artifacts/screenshots/. Without chromium the tests
fail under CI=true (``bash scripts/install_browser.sh`` installs it) and are skipped elsewhere.
"""
import csv
import io
import os
import re
import threading
from datetime import datetime
from pathlib import Path

import pytest

from config import Config
from quotes import create_app, migrate, store
from quotes.intake import add_documents

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
# Playwright waits on the page at most this long (ms) before an expectation fails; not a timing assertion.
WAIT_MS = 15_000

ARTICLES = [
    store.DocumentInput(
        text=(
            "Les ministres se sont retrouvés lundi à Bruxelles pour une réunion de crise.\n"
            "«Nous ne laisserons pas les agriculteurs seuls face à cette crise», a déclaré Claire Martin "
            "à l’issue de la réunion.\n"
            "Le commissaire européen Paul Girard a affirmé : «Les aides seront versées avant l’été.»\n"
            "«Le dialogue reste ouvert avec tous les syndicats», a assuré Claire Martin."
        ),
        title="Crise agricole : Bruxelles promet des aides",
        url="https://example.org/crise-agricole",
        source="AFP",
        published_at=datetime(2024, 2, 12, 9, 30),
    ),
    store.DocumentInput(
        text=(
            "Le débat a repris mardi à l’Assemblée.\n"
            "Claire Martin a déclaré : «Le budget de l’agriculture augmentera de dix pour cent.»\n"
            "Les députés de l’opposition ont quitté la séance."
        ),
        title="Budget : la ministre s’engage",
        url="https://example.org/budget",
        source="ATS",
        published_at=datetime(2024, 4, 3, 15, 0),
    ),
]

# Roles given with his quotes: the speaker page lists the most frequent first.
ROLES_ARTICLE = store.DocumentInput(
    text=(
        "«La situation reste grave», a estimé le ministre de la Santé, Olivier Véran. "
        "«Les hôpitaux tiendront», a assuré Olivier Véran, ministre de la Santé. "
        "«Nous verrons», a ajouté Olivier Véran, député de l'Isère."
    ),
    title="Santé : le ministre prudent",
    source="AFP",
    published_at=datetime(2023, 1, 15, 8, 0),
)

TRY_ARTICLE = (
    "Le tribunal a rendu sa décision jeudi.\n"
    "«Justice est enfin rendue pour les familles», a déclaré Sophie Bernard, avocate des parties civiles.\n"
    "Marc Lefèvre a répondu : «Nous allons faire appel de ce jugement.»"
)


def _require_chromium():
    """Skip locally, fail in CI, when the browser or Playwright is missing."""
    problem = None
    if not CHROMIUM.exists():
        problem = f"{CHROMIUM} is missing: run `bash scripts/install_browser.sh` (Debian's chromium package)"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            problem = "playwright is not installed: `pip install -r requirements-dev.txt`"
    if problem is None:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"browser tests cannot run: {problem}", pytrace=False)
    pytest.skip(f"browser tests skipped: {problem}")


@pytest.fixture(scope="module")
def live_server(tmp_path_factory):
    """Base URL of the app served by a werkzeug server thread on 127.0.0.1:<free port>."""
    from werkzeug.serving import make_server

    url = f"sqlite:///{tmp_path_factory.mktemp('browser') / 'quotes.db'}"
    migrate.upgrade(url)
    config = type(
        "BrowserConfig",
        (Config,),
        {"SQLALCHEMY_DATABASE_URI": url, "TESTING": True, "RATELIMIT_ENABLED": False, "API_TOKEN": None},
    )
    app = create_app(config)
    with app.extensions["db"].Session() as session:
        add_documents(session, [*ARTICLES, ROLES_ARTICLE], app.config["SPACY_MODEL"])
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()
    app.extensions["db"].dispose()


@pytest.fixture(scope="module")
def browser():
    _require_chromium()
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=WAIT_MS)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="fr-FR", viewport={"width": 1200, "height": 900}, accept_downloads=True)
    context.set_default_timeout(WAIT_MS)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.console_errors = errors  # a test that expects an error status takes its message out
    yield page
    context.close()
    assert errors == [], f"errors in the browser console: {errors}"


def shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def test_search_a_speaker_follow_the_speaker_page_and_download_the_csv(page, live_server):
    from playwright.sync_api import expect

    page.goto(live_server + "/")
    expect(page.locator("h1")).to_have_text("Rechercher des citations")
    shot(page, "01-home")

    # Suggestions come from /api/speakers as the user types.
    page.get_by_label("Locuteur").fill("mart")
    expect(page.locator("#speaker-suggestions option[value='Claire Martin']")).to_have_count(1)
    page.get_by_label("Locuteur").fill("claire martin")
    page.get_by_role("button", name="Rechercher").click()

    expect(page.locator("#results-title")).to_have_text("3 citations")
    results = page.locator(".result")
    expect(results).to_have_count(3)
    # Newest first: April, then the two of February in the order of the article.
    expect(results.first.locator("mark")).to_have_text("Le budget de l’agriculture augmentera de dix pour cent.")
    expect(results.nth(1).locator("mark")).to_have_text("Nous ne laisserons pas les agriculteurs seuls face à cette crise")
    expect(results.nth(1).locator("blockquote")).to_contain_text("a déclaré Claire Martin à l’issue de la réunion.")
    expect(results.nth(1).get_by_role("link", name="Crise agricole : Bruxelles promet des aides")).to_have_attribute(
        "href", "https://example.org/crise-agricole"
    )
    expect(results.nth(1)).to_contain_text("12/02/2024")
    shot(page, "02-search-results")

    # The CSV holds exactly the listed quotes, in a file named for what it holds.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Télécharger en CSV").click()
    download = download_info.value
    rows = list(csv.DictReader(io.StringIO(Path(download.path()).read_text(encoding="utf-8"))))
    assert download.suggested_filename == "quotes-claire-martin.csv"
    assert sorted((r["speaker"], r["quote"], r["source"]) for r in rows) == sorted([
        ("Claire Martin", "Nous ne laisserons pas les agriculteurs seuls face à cette crise", "AFP"),
        ("Claire Martin", "Le dialogue reste ouvert avec tous les syndicats", "AFP"),
        ("Claire Martin", "Le budget de l’agriculture augmentera de dix pour cent.", "ATS"),
    ])

    # The speaker page: count, a bar per month over the year up to April, her quotes.
    results.first.get_by_role("link", name="Claire Martin").click()
    expect(page.locator("h1")).to_have_text("Claire Martin")
    expect(page.locator(".facts .count")).to_have_text("3")
    bars = page.locator("svg.chart rect")
    expect(bars).to_have_count(12)
    assert [bars.nth(i).locator("title").text_content() for i in range(9, 12)] == [
        "févr. 2024 : 2", "mars 2024 : 0", "avr. 2024 : 1",
    ]
    assert bars.nth(9).bounding_box()["height"] == 2 * bars.nth(11).bounding_box()["height"]
    expect(page.locator(".result")).to_have_count(3)
    shot(page, "03-speaker")


def test_search_works_without_javascript(browser, live_server):
    from playwright.sync_api import expect

    context = browser.new_context(java_script_enabled=False, locale="fr-FR")
    context.set_default_timeout(WAIT_MS)
    page = context.new_page()
    try:
        page.goto(live_server + "/")
        page.get_by_label("Locuteur").fill("GIRARD")
        page.get_by_label("Locuteur").press("Enter")
        expect(page.locator(".result")).to_have_count(1)
        expect(page.locator(".result mark")).to_have_text("Les aides seront versées avant l’été.")
        expect(page.locator(".result")).to_contain_text("Paul Girard")
    finally:
        context.close()


def test_keyboard_reaches_the_form_with_a_visible_focus(page, live_server):
    from playwright.sync_api import expect

    page.goto(live_server + "/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Aller au contenu")
    expect(skip).to_be_focused()
    assert skip.evaluate("e => getComputedStyle(e).outlineStyle") == "solid"
    page.get_by_label("Locuteur").focus()
    assert page.get_by_label("Locuteur").evaluate("e => getComputedStyle(e).outlineWidth") == "3px"


def test_paste_an_article_see_highlighted_quotes_then_save_it(page, live_server):
    from playwright.sync_api import expect

    page.goto(live_server + "/try")
    page.get_by_label("Texte de l’article").fill(TRY_ARTICLE)
    shot(page, "04-try-form")
    page.get_by_role("button", name="Analyser").click()

    expect(page.locator("#preview-title")).to_have_text("2 citations trouvées")
    marks = page.locator(".article mark")
    expect(marks).to_have_count(2)
    expect(marks.nth(0)).to_have_text("Justice est enfin rendue pour les familles")
    expect(marks.nth(0)).to_have_attribute("data-speaker", "Sophie Bernard")
    expect(marks.nth(1)).to_have_attribute("data-speaker", "Marc Lefèvre")
    tags = page.locator(".article .speaker-tag")
    expect(tags).to_have_text(["Sophie Bernard", "Marc Lefèvre"])
    # One colour per speaker.
    colours = [marks.nth(i).evaluate("e => getComputedStyle(e).backgroundColor") for i in range(2)]
    assert colours[0] != colours[1]
    shot(page, "05-try-preview")

    # Nothing stored yet.
    page.goto(live_server + "/?speaker=bernard")
    expect(page.locator("#results-title")).to_have_text("Aucune citation")
    page.go_back()

    page.get_by_label("Source").fill("Le Courrier")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator(".notice")).to_contain_text("Article enregistré")
    expect(page.locator(".result")).to_have_count(2)
    expect(page.locator(".result").first.locator("mark")).to_have_text("Justice est enfin rendue pour les familles")
    expect(page.locator(".result").first).to_contain_text("Le Courrier")
    shot(page, "06-try-saved")


def test_speaker_page_roles_the_most_frequent_first_and_a_whole_timeline(page, live_server):
    from playwright.sync_api import expect

    page.goto(live_server + "/")
    page.get_by_label("Locuteur").fill("vér")
    expect(page.locator("#speaker-suggestions option[value='Olivier Véran']")).to_have_count(1)
    page.goto(live_server + "/?speaker=veran")
    page.locator(".result").first.get_by_role("link", name="Olivier Véran").click()
    expect(page.locator("h1")).to_have_text("Olivier Véran")
    expect(page.locator(".facts .kind")).to_have_text("personne")
    expect(page.locator(".roles li")).to_have_text(["ministre de la Santé (2 citations)", "député de l'Isère (1 citation)"])
    # No month label is cut at the edges of the chart.
    chart = page.locator("svg.chart").bounding_box()
    labels = page.locator("svg.chart text.month")
    first, last = labels.first.bounding_box(), labels.last.bounding_box()
    assert first["x"] >= chart["x"] and last["x"] + last["width"] <= chart["x"] + chart["width"]
    expect(labels.first).to_have_text("févr. 2022")
    shot(page, "07-speaker-roles")


def test_the_search_form_keeps_a_bad_date_beside_its_error(page, live_server):
    from playwright.sync_api import expect

    page.goto(live_server + "/")
    page.get_by_label("Publié à partir du").fill("2024-13")
    page.get_by_label("Locuteur").fill("martin")
    page.get_by_role("button", name="Rechercher").click()
    expect(page.get_by_label("Publié à partir du")).to_have_value("2024-13")
    expect(page.locator("#since-error")).to_contain_text("AAAA, AAAA-MM ou AAAA-MM-JJ")
    page.console_errors.remove("Failed to load resource: the server responded with a status of 400 (BAD REQUEST)")
    page.get_by_label("Publié à partir du").fill("2024-04")
    page.get_by_role("button", name="Rechercher").click()
    expect(page.locator("#results-title")).to_have_text("1 citation")
    shot(page, "08-search-dates")


def test_try_shows_why_on_hover_and_keeps_a_text_over_the_limit(page, live_server):
    from playwright.sync_api import expect

    page.goto(live_server + "/try")
    page.get_by_label("Texte de l’article").fill(TRY_ARTICLE)
    page.get_by_role("button", name="Analyser").click()
    mark = page.locator(".article mark").first
    mark.hover()
    expect(mark).to_have_attribute("title", re.compile(r"mention «Sophie Bernard» at \d+"))

    too_long = TRY_ARTICLE + "\n" + "Une phrase de remplissage. " * 40_000  # about 1.1 MB
    page.get_by_label("Texte de l’article").fill(too_long)
    page.get_by_role("button", name="Analyser").click()
    expect(page.locator("#text-error")).to_contain_text("pour une limite de 1\u202f048\u202f576 octets")
    assert page.get_by_label("Texte de l’article").input_value() == too_long
    page.console_errors.remove(
        "Failed to load resource: the server responded with a status of 413 (REQUEST ENTITY TOO LARGE)")
