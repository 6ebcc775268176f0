"""Question answering over the knowledge base: cited extractive answers, honest refusals, follow-ups,
and an optional LLM through an OpenAI-compatible endpoint whose output is checked against the sources.

Example:
    >>> from assistant import Assistant
    >>> Assistant().ask("万级负氧离子体验区由谁牵头？").answer
"""
from .assistant import Answer, Assistant
from .evidence import Citation
from .understand import Query, understand

__all__ = ["Answer", "Assistant", "Citation", "Query", "understand"]
