"""Ingestion: file -> parsed document (metadata, section tree, tables) -> chunks.

Stages, one module each: loaders -> cleaning -> metadata -> tables -> structure -> chunking;
``pipeline.parse_file`` runs them in order. Formats beyond txt/md/docx have their own reader, each
returning the same RawDocument (text with page breaks, tables as tab-cell grids): ``pdf`` (pdfplumber
layout and tables), ``ocr`` (scans, rapidocr), ``html`` (saved web pages), ``ofd``, ``sheets``
(.xlsx/.csv) and ``convert`` (.doc/.wps/.xls/.et through LibreOffice); ``page_view`` renders a cited
page with the quote highlighted; ``articles`` names the 条/款/项 holding a quote; ``progress`` reports
OCR page by page to whoever waits (the upload bar, the command line).
"""
from .errors import IngestError
from .loaders import SUPPORTED_SUFFIXES, load_file
from .model import Chunk, DocMeta, ParsedDocument, Section, Table
from .pipeline import PARSER_VERSION, content_hash_of, doc_id_for, parse_file

__all__ = ["IngestError", "SUPPORTED_SUFFIXES", "load_file", "Chunk", "DocMeta", "ParsedDocument", "Section",
           "Table", "PARSER_VERSION", "content_hash_of", "doc_id_for", "parse_file"]
