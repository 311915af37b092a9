"""HTTP clients run in their own processes by the concurrency tests (standard library only: cheap to spawn)."""
import json
import random
import traceback
import urllib.error
import urllib.parse
import urllib.request


def request(method: str, url: str, body=None, timeout: float = 120) -> tuple[int, bytes]:
    """(status, body) of one HTTP request; an HTTP error status is an answer, not an exception."""
    data = None if body is None else json.dumps(body, ensure_ascii=False).encode("utf-8")
    headers = {"Content-Type": "application/json"} if data is not None else {}
    req = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def writer(bases: list[str], articles: list[dict], seed: int) -> dict:
    """Post every article, shuffled, alone or in small lists, round-robin over ``bases``.

    Returns the answers as (article index, status, document id, created) and any exception.
    """
    rng = random.Random(seed)
    order = list(range(len(articles)))
    rng.shuffle(order)
    answers, failures = [], []
    position = 0
    try:
        while position < len(order):
            size = rng.choice((1, 1, 3))
            chunk = order[position:position + size]
            position += size
            base = bases[(seed + position) % len(bases)]
            body = [articles[i] for i in chunk] if size > 1 else articles[chunk[0]]
            status, raw = request("POST", f"{base}/api/documents", body)
            if status not in (200, 201):
                failures.append(f"POST -> {status}: {raw[:300]!r}")
                continue
            payload = json.loads(raw)
            posted = payload["items"] if size > 1 else [payload]
            for index, doc in zip(chunk, posted):
                answers.append((index, status, doc["id"], doc["created"], len(doc["quotes"])))
    except Exception:
        failures.append(traceback.format_exc())
    return {"answers": answers, "failures": failures}


def try_saver(bases: list[str], articles: list[dict], seed: int) -> dict:
    """Save every article through the /try page's form, shuffled, round-robin over ``bases``, as a browser would.

    Returns the answers as (article index, status, document id, created) and any failure.
    """
    rng = random.Random(seed)
    order = list(range(len(articles)))
    rng.shuffle(order)
    token = f"{seed:04d}" + "t" * 40  # the double-submit CSRF check: the same token in the cookie and the form
    answers, failures = [], []
    try:
        for position, index in enumerate(order):
            base = bases[(seed + position) % len(bases)]
            article = articles[index]
            form = {"text": article["text"], "title": article["title"] or "", "source": article["source"] or "",
                    "csrf_token": token}
            req = urllib.request.Request(
                f"{base}/try/save", data=urllib.parse.urlencode(form).encode("ascii"), method="POST",
                headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": f"quotes_csrf={token}"},
            )
            try:
                # The redirect to the search page is the answer: not followed.
                with urllib.request.build_opener(_NoRedirect).open(req, timeout=120) as response:
                    status, location, raw = response.status, response.headers.get("Location", ""), b""
            except urllib.error.HTTPError as exc:
                status, location, raw = exc.code, exc.headers.get("Location", ""), exc.read()
            saved = urllib.parse.parse_qs(urllib.parse.urlsplit(location).query)
            if status != 303 or "document_id" not in saved:
                failures.append(f"POST /try/save -> {status}: {raw[:300]!r}")
                continue
            answers.append((index, status, int(saved["document_id"][0]), saved["saved"] == ["new"]))
    except Exception:
        failures.append(traceback.format_exc())
    return {"answers": answers, "failures": failures}


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def reader(bases: list[str], words: list[str], rounds: int, seed: int) -> dict:
    """Search, page, list speakers and download CSV while the writers write; every answer must be 200."""
    rng = random.Random(seed)
    statuses, failures = [], []
    try:
        for n in range(rounds):
            base = bases[n % len(bases)]
            word = urllib.parse.quote(rng.choice(words))
            for path in (
                f"/api/quotes?speaker={word}",
                f"/api/quotes?q={word}&per_page=50",
                f"/api/speakers?q={word}",
                f"/api/quotes.csv?q={word}",
                "/api/quotes?page=2&per_page=5",
            ):
                status, raw = request("GET", base + path)
                statuses.append(status)
                if status != 200:
                    failures.append(f"GET {path} -> {status}: {raw[:300]!r}")
                elif path.startswith("/api/quotes.csv"):
                    if not raw.startswith(b"quote_id,"):
                        failures.append(f"GET {path}: no CSV header: {raw[:100]!r}")
    except Exception:
        failures.append(traceback.format_exc())
    return {"statuses": statuses, "failures": failures}
