"""Question answering over the knowledge base (cited extractive answers, optional LLM).

Not built yet: the answering pipeline arrives with its own issue. Retrieval today is
``kb.KnowledgeBase.search``.
"""
