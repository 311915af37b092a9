"""The production server: waitress, bound before the model loads, taking accented words typed into a URL.

``curl 'localhost:5000/api/quotes?q=sécurité'`` sends the é as two raw bytes, where a
browser sends ``%C3%A9``. Waitress parses the request line with ``urllib``, which
takes only ASCII, and answers "Bad URI"; ``LenientParser`` percent-encodes those
bytes first, as a browser would, so both spellings reach the app as the same URL.
Cheroot and gunicorn refuse such request lines too, hence waitress, taught this.
"""
import errno
import re

from waitress.adjustments import Adjustments
from waitress.channel import HTTPChannel
from waitress.parser import HTTPRequestParser
from waitress.server import MultiSocketServer, TcpWSGIServer
from waitress.task import ThreadedTaskDispatcher

_NOT_ASCII = re.compile(rb"[\x80-\xff]")


class PortTaken(OSError):
    """The address is in use: the message says which and what to do."""


def percent_encode_request_line(header_plus: bytes) -> bytes:
    """``header_plus`` with the bytes beyond ASCII of its first line percent-encoded (%C3%A9 for é)."""
    end = header_plus.find(b"\r\n")
    if end < 0:
        return header_plus
    line = _NOT_ASCII.sub(lambda m: b"%%%02X" % m[0][0], header_plus[:end])
    return line + header_plus[end:]


class LenientParser(HTTPRequestParser):
    def parse_header(self, header_plus):
        return super().parse_header(percent_encode_request_line(header_plus))


class _Channel(HTTPChannel):
    parser_class = LenientParser


class _Server(TcpWSGIServer):
    channel_class = _Channel


def make_server(app, host: str, port: int, threads: int = 8):
    """A waitress server for ``app`` bound to ``host:port`` (call ``run()``); ``PortTaken`` when it is in use."""
    adj = Adjustments(host=host, port=port, threads=threads)
    dispatcher = ThreadedTaskDispatcher()
    dispatcher.set_thread_count(adj.threads)
    channels: dict = {}
    servers = []
    try:
        for sockinfo in adj.listen:
            servers.append(_Server(app, channels, dispatcher=dispatcher, adj=adj, sockinfo=sockinfo))
    except OSError as exc:
        for server in servers:
            server.close()
        dispatcher.shutdown()
        if exc.errno == errno.EADDRINUSE:
            raise PortTaken(f"port {port} on {host} is already in use: stop what serves there, "
                            f"or choose another port (PORT={port + 1} make run)") from None
        raise
    if len(servers) == 1:
        return servers[0]
    listening = [(server.effective_host, server.effective_port) for server in servers]
    return MultiSocketServer(channels, adj, listening, dispatcher, servers[-1].log_info)
