"""A browserless Streamlit client: one app session over the websocket protocol a browser speaks.

The browser talks to a Streamlit server over one websocket, ``/_stcore/stream`` with the
subprotocol ``streamlit``. It sends binary protobuf ``BackMsg`` frames (``rerun_script`` carrying
a ``ClientState``: the query string, the page, the widgets' values, the hashes of large messages
it already holds) and reads ``ForwardMsg`` frames until ``script_finished``. This module speaks
that protocol with Streamlit's own protobuf classes, so a load test can open many sessions
without many browsers. Like the browser it keeps a cache of large messages by hash and resolves
``ref_hash`` references from it, and it follows the query string the app writes.

Only loopback servers are driven (see `check_loopback`); every wait has a timeout.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import ipaddress
import json
import socket
import time
import urllib.request
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ClientState_pb2 import ClientState
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState, WidgetStates

SUCCESS = {
    ForwardMsg.ScriptFinishedStatus.FINISHED_SUCCESSFULLY,
    ForwardMsg.ScriptFinishedStatus.FINISHED_FRAGMENT_RUN_SUCCESSFULLY,
}
EARLY = ForwardMsg.ScriptFinishedStatus.FINISHED_EARLY_FOR_RERUN
MAX_MESSAGE = 64 * 2**20  # charts exceed websockets' 1 MiB default
CACHE_LIMIT = 500  # cached large messages kept per session, like a browser tab's cache


class ProtocolError(RuntimeError):
    """The server closed, timed out or answered something a browser would not accept."""


def run(coroutine):
    """Run a coroutine to completion on a fresh event loop in its own thread.

    `asyncio.run` refuses to start while another loop runs in this thread, which is the case
    in a test process after Playwright's sync API has started its own.
    """
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def check_loopback(url: str) -> None:
    """Refuse anything but a loopback server: this client only load-tests this machine."""
    host = urlsplit(url).hostname or ""
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(host, None)}
    except socket.gaierror as error:
        raise ValueError(f"cannot resolve {host!r}: {error}") from None
    if not addresses or not all(ipaddress.ip_address(a).is_loopback for a in addresses):
        raise ValueError(f"refusing to load-test {host!r}: only loopback addresses are allowed")


@dataclass
class RunResult:
    """One script run as the client saw it."""

    seconds: float  # from sending the request to receiving script_finished
    status: int
    exceptions: list[str] = field(default_factory=list)  # st.exception elements (tracebacks)
    elements: dict[str, int] = field(default_factory=dict)  # element kind -> count
    received_bytes: int = 0

    @property
    def ok(self) -> bool:
        return self.status in SUCCESS and not self.exceptions


class Session:
    """One browser tab's worth of protocol: connect, run, change widgets, close."""

    def __init__(self, base_url: str, *, timeout: float = 60.0, page: str = ""):
        check_loopback(base_url)
        self.page_name = page  # the page's url path ("join"); "" for the default page
        parts = urlsplit(base_url)
        self.origin = f"{parts.scheme}://{parts.netloc}"
        scheme = "wss" if parts.scheme == "https" else "ws"
        self.ws_url = f"{scheme}://{parts.netloc}{parts.path.rstrip('/')}/_stcore/stream"
        self.query_string = parts.query
        self.timeout = timeout
        self.page_script_hash = ""
        self.widgets: dict[str, tuple[str, str]] = {}  # label -> (element kind, widget id)
        self.options: dict[str, list[str]] = {}  # rate slider id -> its formatted values
        self._commits = 0  # rate slider commits sent (the component counts its own)
        self.last: dict[str, ForwardMsg] = {}  # delta path -> last element message
        self._cache: dict[str, ForwardMsg] = {}
        self._ws = None

    def _open_page(self) -> str:
        """GET the page as a browser does first; returns its cookies as a Cookie header (a
        reverse proxy with sticky sessions routes the websocket by them)."""
        request = urllib.request.Request(self.origin + "/", headers={"User-Agent": "gv-load"})
        with urllib.request.urlopen(request, timeout=self.timeout) as response:
            response.read()
            cookies = response.headers.get_all("Set-Cookie") or []
        return "; ".join(c.split(";", 1)[0].strip() for c in cookies)

    async def connect(self) -> None:
        cookie = await asyncio.to_thread(self._open_page)
        self._ws = await asyncio.wait_for(
            websockets.connect(
                self.ws_url,
                subprotocols=["streamlit"],
                origin=self.origin,
                additional_headers={"Cookie": cookie} if cookie else None,
                max_size=MAX_MESSAGE,
                open_timeout=self.timeout,
                ping_interval=None,
                compression=None,
            ),
            self.timeout,
        )

    async def close(self) -> None:
        if self._ws is not None:
            await self._ws.close()
            self._ws = None

    async def __aenter__(self) -> Session:
        await self.connect()
        return self

    async def __aexit__(self, *exc) -> None:
        await self.close()

    def widget_id(self, label: str) -> str:
        try:
            return self.widgets[label][1]
        except KeyError:
            raise ProtocolError(f"no widget labelled {label!r} in the last run") from None

    async def run(self, widget_states: list[WidgetState] | None = None) -> RunResult:
        """Ask for a rerun (the first run when widget_states is None) and read it to the end."""
        if self._ws is None:
            raise ProtocolError("not connected")
        state = ClientState(
            query_string=self.query_string,
            page_script_hash=self.page_script_hash,
            page_name=self.page_name,
            widget_states=WidgetStates(widgets=widget_states or []),
        )
        state.cached_message_hashes.extend(self._cache)
        state.context_info.timezone = "UTC"
        state.context_info.locale = "en-US"
        state.context_info.url = self.origin + "/"
        message = BackMsg(rerun_script=state)
        t0 = time.perf_counter()
        await self._ws.send(message.SerializeToString())
        result = RunResult(seconds=0.0, status=-1)
        deadline = t0 + self.timeout
        while True:
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                raise ProtocolError(f"no script_finished within {self.timeout:.0f} s")
            try:
                data = await asyncio.wait_for(self._ws.recv(), remaining)
            except TimeoutError:
                raise ProtocolError(f"no script_finished within {self.timeout:.0f} s") from None
            except websockets.ConnectionClosed as error:
                raise ProtocolError(f"the server closed the connection: {error}") from None
            result.received_bytes += len(data)
            msg = ForwardMsg()
            msg.ParseFromString(data)
            msg = self._resolve(msg)
            kind = msg.WhichOneof("type")
            if kind == "script_finished":
                if msg.script_finished == EARLY:  # superseded by a newer run: keep reading
                    continue
                result.status = msg.script_finished
                result.seconds = time.perf_counter() - t0
                return result
            self._observe(msg, kind, result)

    def _resolve(self, msg: ForwardMsg) -> ForwardMsg:
        """A reference to a message this client already holds becomes that message."""
        if msg.HasField("ref_hash"):
            cached = self._cache.get(msg.ref_hash)
            if cached is None:
                raise ProtocolError(f"the server referred to an unknown message {msg.ref_hash}")
            full = ForwardMsg()
            full.CopyFrom(cached)
            full.metadata.CopyFrom(msg.metadata)
            return full
        if msg.metadata.cacheable and msg.hash:
            if len(self._cache) >= CACHE_LIMIT:
                self._cache.pop(next(iter(self._cache)))
            self._cache[msg.hash] = msg
        return msg

    def _observe(self, msg: ForwardMsg, kind: str | None, result: RunResult) -> None:
        if kind == "new_session":
            self.page_script_hash = msg.new_session.page_script_hash
        elif kind == "navigation" and msg.navigation.page_script_hash:
            self.page_script_hash = msg.navigation.page_script_hash
        elif kind == "page_info_changed":
            self.query_string = msg.page_info_changed.query_string
        elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
            element = msg.delta.new_element
            etype = element.WhichOneof("type") or "?"
            result.elements[etype] = result.elements.get(etype, 0) + 1
            self.last[",".join(map(str, msg.metadata.delta_path))] = msg
            if etype == "exception":
                e = element.exception
                result.exceptions.append(f"{e.type}: {e.message}"[:300])
            proto = getattr(element, etype, None)
            widget_id = getattr(proto, "id", "")
            label = getattr(proto, "label", "")
            if etype == "bidi_component" and proto.json:  # our rate slider names itself
                data = json.loads(proto.json)
                label = data.get("label", "") if isinstance(data, dict) else ""
                self.options[widget_id] = list(data.get("labels", [])) if label else []
            if widget_id and label:
                self.widgets[label] = (etype, widget_id)

    def slider(self, label: str, value: str) -> WidgetState:
        """What the browser sends when the slider ``label`` is left at ``value`` (formatted):
        a select_slider's option, or the position on our rate slider (`ui.controls.rate_slider`)."""
        kind, widget_id = self.widgets.get(label, ("", ""))
        if kind != "bidi_component":
            return string_array(self.widget_id(label), value)
        self._commits += 1
        state = WidgetState(id=widget_id)
        index = self.options[widget_id].index(value)
        state.json_value = json.dumps({"rate": {"index": index, "n": self._commits}})
        return state


def string_array(widget_id: str, *values: str) -> WidgetState:
    """The wire form of a select_slider or multiselect value (formatted options)."""
    state = WidgetState(id=widget_id)
    state.string_array_value.data.extend(values)
    return state
