"""Streamlit helpers shared by ``app.py`` and the pages under ``pages/`` (see ``ui.common``)."""
