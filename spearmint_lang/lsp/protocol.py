"""The JSON-RPC side of the server: messages whose params do not fit their method.

pygls reads each message into lsprotocol's types as it is parsed; when that
fails (a hover without `position`, a `line` that is not a number...), it
raises out of its read loop, logs, and sends nothing, so a client waits
forever for its answer. `MintProtocol` turns such a message into a
`Rejected` one instead, and answers it as JSON-RPC says:

- a request gets an error response: -32602 (InvalidParams) naming each
  faulty field as the client wrote it (`params.position.line`), or -32601
  (MethodNotFound) for a method the server does not know;
- a notification gets no reply (JSON-RPC forbids one): it is logged to
  stderr and, once initialized, to the client's log as a warning;
- a response to one of our requests fails that request.

The server carries on with the next message in every case.
"""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING, Any, Union

import attrs
from cattrs import ClassValidationError, transform_error
from cattrs.v import format_exception
from lsprotocol import types as lsp
from pygls.exceptions import JsonRpcException, JsonRpcInvalidParams, JsonRpcMethodNotFound
from pygls.protocol import LanguageServerProtocol

if TYPE_CHECKING:
    from cattrs import Converter
    from pygls.lsp.server import LanguageServer

log = logging.getLogger("mintc.lsp")

# JSON-RPC ids are strings or numbers (lsprotocol keeps whatever came).
MsgId = Union[int, str]


@attrs.frozen
class Rejected:
    """A message that does not fit its method's types, and the error it earned."""

    method: str | None
    id: MsgId | None
    error: JsonRpcException

    @property
    def is_request(self) -> bool:
        """A request (it has an id and a method), which needs an answer."""
        return self.id is not None and self.method is not None


def _json_field(name: str) -> str:
    """lsprotocol's attribute name as the client wrote it (`text_document` -> `textDocument`)."""
    head, *rest = name.rstrip("_").split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def _describe(exc: BaseException, expected: type | None) -> str:
    """cattrs' description of one fault, with a validator's own words (a `line` below 0)."""
    what = format_exception(exc, expected)
    if isinstance(exc, ValueError) and expected is None and str(exc):
        what = f"{what}: {exc}"
    return what


def problems(exc: BaseException) -> list[tuple[str, str]]:
    """(where, what) for each fault cattrs found: `params.position.line`, `required field missing`."""
    if not isinstance(exc, ClassValidationError):
        return [("", str(exc) or type(exc).__name__)]
    found = []
    for line in transform_error(exc, format_exception=_describe):
        what, _, path = line.rpartition(" @ ")
        path = re.sub(r"\.([A-Za-z0-9_]+)", lambda m: "." + _json_field(m.group(1)), path)
        found.append((path.removeprefix("$").removeprefix("."), what))
    return found


def rejection(data: dict[str, Any], exc: BaseException) -> Rejected:
    """The error a message earned; `data` is the JSON object, `exc` what reading it raised.

    `Any`: the message is arbitrary JSON, as pygls hands it over."""
    method = data.get("method")
    method = method if isinstance(method, str) else None
    raw_id = data.get("id")
    msg_id = raw_id if isinstance(raw_id, (int, str)) and not isinstance(raw_id, bool) else None
    if method is not None and method not in lsp.METHOD_TO_TYPES:
        return Rejected(method, msg_id, JsonRpcMethodNotFound.of(method))
    faults = problems(exc)
    listed = "; ".join(f"{where}: {what}" if where else what for where, what in faults)
    name = method or "a response"
    return Rejected(method, msg_id, JsonRpcInvalidParams(message=f"Invalid params for {name}: {listed}"))


def _not_pygls_traceback(record: logging.LogRecord) -> bool:
    """Drop pygls' traceback of a message it could not read: `reject` logs one line for it."""
    return not record.getMessage().startswith("Unable to deserialize message")


class MintProtocol(LanguageServerProtocol):
    """pygls' protocol, answering messages it cannot read instead of dropping them."""

    def __init__(self, server: LanguageServer, converter: Converter) -> None:
        super().__init__(server, converter)
        logging.getLogger("pygls.protocol.json_rpc").addFilter(_not_pygls_traceback)  # once: filters are a set

    def structure_message(self, data: dict[str, Any]) -> Any:
        """pygls' reading of one JSON object (it calls this for every object in a
        message, innermost first); a message that does not fit becomes `Rejected`.

        `Any`: pygls passes parsed JSON in and expects its message types, or the
        object itself, back."""
        try:
            return super().structure_message(data)
        except JsonRpcException as exc:
            return rejection(data, exc.__cause__ or exc)

    def handle_message(self, message: Any) -> None:
        """Answer a `Rejected` message; hand every other one to pygls.

        `Any`: pygls' message types (attrs classes matched by structure)."""
        if isinstance(message, Rejected):
            self.reject(message)
            return
        super().handle_message(message)

    def reject(self, message: Rejected) -> None:
        """Answer (or log) a message whose params do not fit its method."""
        if self._shutdown and message.method != lsp.EXIT:
            log.warning("mintc lsp: ignored %s after shutdown", message.method)
            return
        text = message.error.message
        if message.is_request:
            assert message.id is not None
            log.warning("mintc lsp: answered request %r with an error: %s", message.id, text)
            self._send_response(message.id, error=message.error.to_response_error())
        elif message.method is None:
            if message.id is not None:
                # A response to one of our requests that cannot be read: fail that request.
                self._handle_response(message.id, None, message.error.to_response_error())
            log.warning("mintc lsp: %s", text)
        else:
            note = f"mintc lsp: ignored a {message.method} notification: {text}"
            log.warning("%s", note)
            if self._workspace is not None:  # the client may be told only once initialized
                self.notify(lsp.WINDOW_LOG_MESSAGE, lsp.LogMessageParams(type=lsp.MessageType.Warning, message=note))
