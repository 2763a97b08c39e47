"""The web decision aid: FastAPI app, pages, JSON API, security middleware.

``create_app(settings)`` builds the app; ``msstem serve`` runs it with uvicorn.
"""

from msstem.web.app import create_app
from msstem.web.settings import WebSettings

__all__ = ["WebSettings", "create_app"]
