"""Ingestion: file -> parsed document (metadata, section tree, tables) -> chunks.

Stages, one module each: loaders -> cleaning -> metadata -> tables -> structure -> chunking;
``pipeline.parse_file`` runs them in order.
"""
from .errors import IngestError
from .loaders import SUPPORTED_SUFFIXES, load_file
from .model import Chunk, DocMeta, ParsedDocument, Section, Table
from .pipeline import PARSER_VERSION, content_hash_of, doc_id_for, parse_file

__all__ = ["IngestError", "SUPPORTED_SUFFIXES", "load_file", "Chunk", "DocMeta", "ParsedDocument", "Section",
           "Table", "PARSER_VERSION", "content_hash_of", "doc_id_for", "parse_file"]
