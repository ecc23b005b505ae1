"""Rate-limit counters kept in a database, so every worker (and, on PostgreSQL, every host)
counts against the same numbers."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base


class RateLimitCounter(Base):
    """One fixed window of one limit for one client: its hits so far and when it ends."""

    __tablename__ = "rate_limits"

    key: Mapped[str] = mapped_column(sa.String(255), primary_key=True)
    count: Mapped[int]
    expires: Mapped[float]  # seconds since the epoch (time.time() of the workers)
