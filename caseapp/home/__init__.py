"""The landing page and the language switch."""
