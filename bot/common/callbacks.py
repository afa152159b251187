"""The callback data of a kind of button, defined once and without aiogram.

Services put buttons into outbox rows (an invitation's "Book", a lead's "Write to"), and
handlers parse the presses with aiogram's `CallbackData`. Both sides use one definition: a
`CallbackFormat` subclass in `bot/services/<area>/callbacks.py` names the prefix and the
fields, in order; the handler's class is built from it,

    class SessionAction(CallbackData, SessionCallback, prefix=SessionCallback.__prefix__): ...

so it has the same prefix and fields, and the format packs the way aiogram does:
"<prefix>:<field>:<field>…", an empty field for None, at most 64 bytes.
`tests/services/common/test_callbacks.py` packs each kind on one side and parses it on the
other. The strings sit in messages already sent: changing one breaks buttons in chats.
"""

from __future__ import annotations

from typing import Any, ClassVar, Self

from pydantic import BaseModel

MAX_CALLBACK_BYTES = 64  # Telegram's limit on callback_data
SEPARATOR = ":"


class CallbackFormat(BaseModel):
    """A kind of button's callback data: `class X(CallbackFormat, prefix="x")` and fields."""

    __prefix__: ClassVar[str]
    __separator__: ClassVar[str] = SEPARATOR

    def __init_subclass__(cls, **kwargs: Any) -> None:
        if "prefix" in kwargs:  # aiogram's CallbackData takes it first on the handler side
            cls.__prefix__ = kwargs.pop("prefix")
        super().__init_subclass__(**kwargs)

    def pack(self) -> str:
        parts = [self.__prefix__]
        for name, value in self.model_dump(mode="python").items():
            text = "" if value is None else str(int(value) if isinstance(value, bool) else value)
            if SEPARATOR in text:
                raise ValueError(f"{SEPARATOR!r} in {name}")
            parts.append(text)
        packed = SEPARATOR.join(parts)
        if len(packed.encode()) > MAX_CALLBACK_BYTES:
            raise ValueError(f"callback data over {MAX_CALLBACK_BYTES} bytes: {packed!r}")
        return packed

    @classmethod
    def unpack(cls, packed: str) -> Self:
        prefix, *parts = packed.split(SEPARATOR)
        names = list(cls.model_fields)
        if prefix != cls.__prefix__ or len(parts) != len(names):
            raise ValueError(f"not {cls.__name__}: {packed!r}")
        values: dict[str, Any] = {}
        for name, text in zip(names, parts, strict=True):
            empty = text == "" and cls.model_fields[name].default is None
            values[name] = None if empty else text
        return cls(**values)
