"""Real time and simulated time, never confused.

A database is made either for real work or as a simulation (`ogi init --simulation`, `ogi demo`);
the choice is stored in it when it is created and never changes. OGI_NOW ("as of") may drive
writes only on a simulation database, and even there never earlier than the latest recorded time
(the ledger, users and calendar changes): time in a database never runs backwards. On a real
database every write takes the server's clock, and the ledger clamps a recording time that would
fall before its head (a clock stepped back) to the head's, so recorded times never decrease.
Reading "as of" another day stays open everywhere: it changes nothing.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Connection, func, select, text
from sqlmodel import Session

from workflow.config import Settings, SettingsError, _parse_now
from workflow.errors import InvalidInput, Refused
from workflow.models import AuditEvent, CalendarClosure, CalendarYear, MetaValue, User
from workflow.timeutil import local_stamp

SIMULATION_KEY = "simulation"
SESSION_FLAG = "ogi_simulation"  # session.info: whether letters issued in this transaction are samples
_known: dict[tuple[str, str | None], bool] = {}


def _key(settings: Settings) -> tuple[str, str | None]:
    return settings.database_url, settings.db_schema


def simulation_flag(conn: Connection) -> bool:
    """Whether the database was created as a simulation, read from the database itself."""
    row = conn.execute(select(MetaValue.value).where(MetaValue.key == SIMULATION_KEY)).first()  # type: ignore[call-overload]
    return bool(row and row[0] == "1")


def is_simulation(conn: Connection, settings: Settings) -> bool:
    """`simulation_flag`, read once per process and database (it never changes once set)."""
    key = _key(settings)
    if key not in _known:
        _known[key] = simulation_flag(conn)
    return _known[key]


def known_simulation(settings: Settings) -> bool | None:
    """The flag if this process has read it already (pages ask without a session: workflow/db.py)."""
    return _known.get(_key(settings))


def has_history(conn: Connection) -> bool:
    """Anything recorded yet: a database with history can no longer become a simulation."""
    events = conn.execute(select(func.count()).select_from(AuditEvent)).scalar_one()
    users = conn.execute(select(func.count()).select_from(User)).scalar_one()
    return bool(events or users)


def mark_simulation(conn: Connection, settings: Settings) -> None:
    """Make a new, empty database a simulation (idempotent on one that already is).

    Raises:
        Refused: the database already holds real records.
    """
    if is_simulation(conn, settings):
        return
    if has_history(conn):
        raise Refused(
            "本数据库已有正式记录，不能改为模拟数据库；请另建一个数据库（ogi init --simulation）",
            "time.simulation_at_creation",
            "simulation",
        )
    conn.execute(MetaValue.__table__.insert().values(key=SIMULATION_KEY, value="1"))  # type: ignore[attr-defined]
    _known[_key(settings)] = True


def forget(settings: Settings) -> None:
    """Drop the cached flag (a test database dropped and made anew under the same name)."""
    _known.pop(_key(settings), None)


def _stamp_to_dt(stamp: str) -> datetime:
    return datetime.fromisoformat(stamp.replace("Z", "+00:00"))


def _aware(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


# One round trip: this runs at the start of every simulated transaction (perform's profile).
_FLOOR_QUERY = select(
    select(AuditEvent.at).order_by(text("seq DESC")).limit(1).scalar_subquery(),  # type: ignore[call-overload]
    *(
        select(func.max(c)).scalar_subquery()
        for c in (User.created_at, CalendarYear.imported_at, CalendarClosure.added_at)
    ),
)


def time_floor(conn: Connection) -> datetime | None:
    """The latest recorded time in the database: the ledger's head and the changes kept outside it."""
    head, *others = conn.execute(_FLOOR_QUERY).one()
    moments = [_stamp_to_dt(head)] if head else []
    moments += [m for m in map(_aware, others) if m is not None]
    return max(moments, default=None)


def check_simulated_write(session: Session, settings: Settings) -> None:
    """Refuse a write made under OGI_NOW where simulated time is not allowed or would run backwards.

    Called once per transaction that wrote something, before it commits (workflow/db.py).

    Raises:
        Refused: OGI_NOW on a real database, or earlier than the latest recorded time.
    """
    moment = settings.now_override
    if moment is None:
        return
    conn = session.connection()
    if not is_simulation(conn, settings):
        raise Refused(
            "OGI_NOW（模拟时间）只能用于模拟数据库（ogi init --simulation 或 ogi demo 创建）；"
            "本数据库为正式数据库，所有记录均按服务器的真实时间，写入已拒绝，未作任何更改。"
            "只查看某日情形请用 --as-of",
            "time.simulation_only",
            "OGI_NOW",
        )
    floor = session.info.get(FLOOR)
    if floor is not None and moment < floor:
        raise Refused(
            f"OGI_NOW（{local_stamp(moment)}）早于本数据库最近记录的时间（{local_stamp(floor)}），"
            "模拟时间不能倒退，写入已拒绝",
            "time.no_rewind",
            "OGI_NOW",
        )


FLOOR = "ogi_time_floor"


def remember_floor(session: Session, settings: Settings) -> None:
    """At the start of a simulated transaction: the floor before anything of its own is written."""
    if settings.now_override is not None:
        session.info[FLOOR] = time_floor(session.connection())


def as_of_date(raw: str | None, field: str = "as_of") -> datetime | None:
    """An --as-of value for read-only what-if views (a date or moment; bare ones are Beijing time)."""
    if raw is None or not raw.strip():
        return None
    try:
        return _parse_now(raw.strip())
    except SettingsError:
        raise InvalidInput(f"{field}：'{raw}' 不是有效的日期或时间（如 2026-05-07）", "input.date", field) from None
