"""HTML pages for people who search quotes without curl: search, speaker pages, /try."""
from flask import Blueprint

bp = Blueprint(
    "web",
    __name__,
    template_folder="templates",
    static_folder="static",
    static_url_path="/static/web",
)
