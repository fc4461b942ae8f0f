"""Desktop Chat: a native desktop client for OpenAI and OpenAI-compatible chat models."""

__version__ = "0.1.0"
