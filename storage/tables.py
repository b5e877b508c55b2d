"""Import every table module so SQLModel.metadata is complete (Alembic and tests rely on it)."""

from storage import (
    inbox,  # noqa: F401
    models,  # noqa: F401
    models_cases,  # noqa: F401
    models_rollups,  # noqa: F401
)
