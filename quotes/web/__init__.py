"""HTML pages for people who search quotes without curl: search, speaker pages, /try."""
from flask import Blueprint

from .. import error_pages
from ..limits import extract_limit, write_limit
from . import csrf, present, search_page, speaker_page, try_page

bp = Blueprint(
    "web",
    __name__,
    template_folder="templates",
    static_folder="static",
    static_url_path="/static/web",
)

bp.add_url_rule("/", view_func=search_page.index)
bp.add_url_rule("/speakers/<int:speaker_id>", view_func=speaker_page.speaker)
bp.add_url_rule("/try", view_func=try_page.try_form, methods=["GET"])
# Previews and saves run the extractor: the same limits as /api/extract and the API's writes.
bp.add_url_rule("/try", endpoint="try_preview", view_func=extract_limit(try_page.try_preview), methods=["POST"])
bp.add_url_rule("/try/save", endpoint="try_save", view_func=write_limit(try_page.try_save), methods=["POST"])
bp.add_app_template_filter(present.http_url, "http_url")
bp.context_processor(present.template_globals)
bp.context_processor(lambda: {"csrf_token": csrf.csrf_token, "csrf_field": csrf.FIELD})
bp.after_request(csrf.set_cookie)
error_pages.init_blueprint(bp)
