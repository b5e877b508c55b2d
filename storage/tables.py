"""Import every table module so SQLModel.metadata is complete (Alembic and tests rely on it)."""

from storage import models  # noqa: F401
from storage import models_cases  # noqa: F401
from storage import models_rollups  # noqa: F401
from storage import inbox  # noqa: F401
