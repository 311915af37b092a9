"""/try: paste an article, see its quotes highlighted per speaker, store it only on "Save"."""
import hmac

from flask import current_app, redirect, render_template, request, url_for

from .. import dates, get_session, store
from ..document_fields import MAX_LENGTHS, too_long
from ..extract import extract
from ..intake import add_documents
from ..text import stored_form
from . import csrf
from .forms import date_error
from .highlight import highlight_article, legend

# The fields of the Save form besides the text, kept between preview and save.
META_FIELDS = ("title", "url", "source", "published_at")
# A form this many times the size limit is still read, so that a text over the limit comes back
# in the form with the limit stated (form encoding takes up to six bytes for an accented letter).
READABLE_FACTOR = 8


def try_form():
    """A form to paste an article into."""
    return render_template("web/try.html", text="", meta={}, errors={})


def try_preview():
    """The pasted article with each quote highlighted in its speaker's colour; nothing is stored."""
    text, meta, errors = _read_form(_form())
    if errors:
        status = 413 if "too_long" in errors else 400
        return render_template("web/try.html", text=text, meta=meta, errors=errors), status
    return _preview(text, meta, errors={})


def try_save():
    """Store the previewed article and its quotes, then show its quotes in the search page."""
    form = _form()
    text, meta, errors = _read_form(form)
    if not csrf.is_valid(form):
        # A forged post gets no extraction run on its behalf; a person just analyses again.
        errors["csrf"] = "Formulaire expiré ou venu d’un autre site : relancez l’analyse puis enregistrez."
        return render_template("web/try.html", text=text, meta=meta, errors=errors), 403
    if not _token_ok(request.form.get("api_token", "")):
        errors["api_token"] = "Jeton d’accès manquant ou incorrect."
    if errors:
        if "text" in errors:
            return render_template("web/try.html", text=text, meta=meta, errors=errors), 413 if "too_long" in errors else 400
        return _preview(text, meta, errors, 403 if "api_token" in errors else 400)
    [(document, created)] = add_documents(get_session(), [_document_input(text, meta)], current_app.config["SPACY_MODEL"])
    return redirect(url_for("web.index", document_id=document.id, saved="new" if created else "existing"), 303)


def _preview(text: str, meta: dict, errors: dict, status: int = 200):
    quotes = extract(text, model=current_app.config["SPACY_MODEL"])
    return render_template(
        "web/try.html",
        text=text,
        meta=meta,
        errors=errors,
        quotes=quotes,
        article=highlight_article(text, quotes),
        legend=legend(quotes),
        needs_token=bool(current_app.config.get("API_TOKEN")),
    ), status


def _form():
    """The posted form, read even when its text is over the limit (see READABLE_FACTOR)."""
    request.max_content_length = request.max_form_memory_size = READABLE_FACTOR * text_limit()
    return request.form


def text_limit() -> int:
    """The largest text, in bytes of UTF-8, that /try analyses and saves: what the API takes."""
    return current_app.config["MAX_CONTENT_LENGTH"]


def _read_form(form) -> tuple[str, dict, dict]:
    # Browsers send CRLF line ends from a textarea; offsets are into the text as stored, so
    # the text is put in its stored form once here, and the preview shows what Save stores.
    text = stored_form(form.get("text", "").replace("\r\n", "\n"))
    meta = {name: form.get(name, "").strip() for name in META_FIELDS}
    longer = too_long({name: meta[name] for name in MAX_LENGTHS})
    errors = {name: f"Trop long : {maximum} caractères au plus." for name, maximum in longer.items()}
    size, limit = len(text.encode("utf-8", "surrogatepass")), text_limit()
    if not text.strip():
        errors["text"] = "Collez le texte d’un article."
    elif size > limit:
        errors["text"] = (f"Texte trop long : {size:,} octets pour une limite de {limit:,} octets "
                          f"(environ {limit // 1024:,} Ko). Raccourcissez-le.").replace(",", "\u202f")
        errors["too_long"] = True
    if meta["published_at"] and (message := date_error(meta["published_at"])):
        errors["published_at"] = message
    if meta["url"] and not meta["url"].lower().startswith(("http://", "https://")):
        errors["url"] = "Adresse attendue en http:// ou https://."
    return text, meta, errors


def _token_ok(sent: str) -> bool:
    expected = current_app.config.get("API_TOKEN")
    if not expected:
        return True
    return hmac.compare_digest(sent.encode("utf-8"), expected.encode("utf-8"))


def _document_input(text: str, meta: dict) -> "store.DocumentInput":
    published = meta["published_at"]
    return store.DocumentInput(
        text=text,
        title=meta["title"] or None,
        url=meta["url"] or None,
        source=meta["source"] or None,
        published_at=dates.as_datetime(dates.parse_day(published)) if published else None,
    )
