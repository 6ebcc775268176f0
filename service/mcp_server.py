"""The MCP server (official ``mcp`` SDK): policykb's answers and facts as tools for agents.

Tools (descriptions in Chinese and English, results as structured content with an output schema):
``ask(question, regions?, documents?, history?)`` → the cited answer; ``search(query, k)`` → passages
with breadcrumbs; ``tasks(unit?, role?, document?, due_before?)``; ``indicators(query?, document?)``;
``documents()``; and, for admins only, ``delete_document(document)``.

Who may call what: over HTTP the caller's role comes from its API key (``service.auth.RequireKey``
puts it in the request scope); over stdio from ``policykb mcp --role``. A reader does not see the
admin tools in ``tools/list`` and a call to one is refused (``RoleGate``).

Example:
    >>> server = build_mcp(PolicyService(Assistant(Settings())), default_role="reader")
    >>> server.run("stdio")                                  # what `policykb mcp` does
    >>> http = server.streamable_http_app(stateless_http=True, json_response=True)  # see service.http
"""
from __future__ import annotations

from typing import Annotated, Any, Literal

from mcp.server.context import CallNext, HandlerResult, ServerRequestContext
from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp.types import CallToolResult, ListToolsResult, TextContent, ToolAnnotations
from pydantic import BaseModel, ConfigDict, Field

from .auth import ROLE_KEY
from .core import PolicyService, answer_text

ADMIN_TOOLS = frozenset({"delete_document"})

INSTRUCTIONS = (
    "policykb：政策文件知识库（行动计划、实施方案、任务分解表）。回答均带出处（文件、章节、页码、原文），"
    "文件未写明的内容会明确说明未找到。先用 ask 提问；需要原文段落用 search；任务分工、指标、文件列表用 tasks、"
    "indicators、documents。\n"
    "policykb: a knowledge base of Chinese government policy documents. Every answer cites document, "
    "section, page and a verbatim quote, and says so when the documents do not cover a question."
)


# --- result schemas ---------------------------------------------------------------------------
class _Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class CitationOut(_Open):
    n: int
    doc_id: str
    title: str
    section: str
    page: int | None = None
    quote: str


class AskResult(_Open):
    answer: str = Field(description="回答，含 [n] 出处标记 / the answer with [n] citation markers")
    text: str = Field(description="回答加来源列表的纯文本 / the answer followed by its 来源 list, as text")
    refused: bool = Field(description="文件中未找到依据 / the documents do not answer the question")
    citations: list[CitationOut]
    references: list[CitationOut] = Field(default_factory=list,
                                          description="拒答时最接近的段落（不是答案）/ closest passages of a refusal")
    facts: list[dict[str, Any]] = Field(default_factory=list)
    mode: str
    notice: str = ""


class PassageOut(_Open):
    doc_id: str
    title: str
    breadcrumb: str
    page: int | None = None
    region: str | None = None
    kind: str
    score: float
    text: str


class SearchResult(BaseModel):
    query: str
    passages: list[PassageOut]
    missing_regions: list[str] = Field(default_factory=list,
                                       description="问题提到但知识库中没有文件的地区 / named regions with no documents")


class TasksResult(BaseModel):
    unit: str | None = Field(None, description="单位的规范名称 / the unit's canonical name")
    names: list[str] = Field(default_factory=list, description="该单位的各种名称 / the unit's names and aliases")
    lead_count: int | None = None
    co_count: int | None = None
    tasks: list[dict[str, Any]]


class IndicatorsResult(BaseModel):
    indicators: list[dict[str, Any]]


class DocumentsResult(BaseModel):
    documents: list[dict[str, Any]]


class DeleteResult(BaseModel):
    deleted: str | None
    message: str


# --- tools -------------------------------------------------------------------------------------
_READ = ToolAnnotations(read_only_hint=True, open_world_hint=False)


def build_mcp(svc: PolicyService, default_role: str = "reader") -> MCPServer:
    """The MCP server over ``svc``; ``default_role`` applies where no API key decides (stdio)."""
    server = MCPServer("policykb", title="政策文件知识库 policykb", instructions=INSTRUCTIONS, version="0.1.0")

    @server.tool(annotations=_READ, description=(
        "就已收录的政策文件提问，得到带出处的回答（文件、章节、页码、原文引文）；文件中没有依据时 refused 为 true。"
        "追问时把之前的问题按顺序放进 history。\n"
        "Ask a question about the loaded policy documents; the answer cites document, section, page and a "
        "verbatim quote, and refused is true when the documents do not answer it. For a follow-up, pass the "
        "earlier questions in history, oldest first."))
    def ask(question: Annotated[str, Field(description="问题（中文）/ the question, in Chinese")],
            regions: Annotated[list[str] | None, Field(description="只用这些地区的文件，如 门头沟区 / only these regions")] = None,
            documents: Annotated[list[str] | None, Field(description="只用这些文件（id 或标题片段）/ only these documents")] = None,
            history: Annotated[list[str] | None, Field(description="之前的问题 / earlier questions of the conversation")] = None,
            ) -> AskResult:
        a = _checked(svc.ask, question, history or [], regions=regions, documents=documents)
        return AskResult(**a, text=answer_text(a))

    @server.tool(annotations=_READ, description=(
        "检索原文段落，每段带文件标题、章节路径（breadcrumb）和页码。\n"
        "Search the documents for passages, each with its document title, section breadcrumb and page."))
    def search(query: Annotated[str, Field(description="检索词或问题 / search words or a question")],
               k: Annotated[int, Field(ge=1, le=50, description="返回段落数 / number of passages")] = 5) -> SearchResult:
        return SearchResult(**_checked(svc.search, query, k))

    @server.tool(annotations=_READ, description=(
        "任务分工：任务（正文任务与实施它的各年度任务分解表行合为一项）、牵头单位、配合单位、完成时间、各年度步骤（steps）与出处。"
        "给出单位（可用简称，如 区园林局）时列出它牵头和配合的任务及数量（按任务计，不按表格行计）。\n"
        "Tasks (a body-text task and the yearly table rows that implement it are one task) with lead and "
        "cooperating units, the current deadline, yearly steps and sources. With a unit (aliases work) its "
        "lead and cooperating tasks and their counts (tasks, not table rows)."))
    def tasks(unit: Annotated[str | None, Field(description="单位名称或简称 / unit name or alias")] = None,
              role: Annotated[Literal["lead", "co"] | None, Field(description="lead 牵头 / co 配合")] = None,
              document: Annotated[str | None, Field(description="文件 id 或标题片段 / document id or title fragment")] = None,
              due_before: Annotated[str | None, Field(description="完成时间不晚于，如 2025-12 / due in or before, YYYY or YYYY-MM")] = None,
              ) -> TasksResult:
        return TasksResult(**_checked(svc.tasks, unit, role, document, due_before))

    @server.tool(annotations=_READ, description=(
        "指标要求：指标、要求（≥ ≤ =）、目标值、时间、责任单位与原文句子。\n"
        "Indicators: measure, comparator, target value, date, responsible units and the source sentence."))
    def indicators(query: Annotated[str | None, Field(description="指标关键词，如 森林覆盖率 / keyword")] = None,
                   document: Annotated[str | None, Field(description="文件 id 或标题片段 / document")] = None,
                   ) -> IndicatorsResult:
        return IndicatorsResult(**_checked(svc.indicators, query, document))

    @server.tool(annotations=_READ, description=(
        "已收录的文件：id、标题、地区、类型、日期、发布单位，以及片段、任务、指标数。\n"
        "The loaded documents: id, title, region, kind, date, issuer and chunk, task and indicator counts."))
    def documents() -> DocumentsResult:
        return DocumentsResult(**svc.documents())

    @server.tool(annotations=ToolAnnotations(destructive_hint=True, open_world_hint=False), description=(
        "（仅管理员）从知识库删除一个文件及其片段、任务和指标。\n"
        "(Admins only) Delete a document with its passages, tasks and indicators from the knowledge base."))
    def delete_document(document: Annotated[str, Field(description="文件 id 或标题片段 / document id or title fragment")],
                        ) -> DeleteResult:
        return DeleteResult(**svc.delete(document))

    server.middleware.append(RoleGate(default_role))
    return server


def _checked(fn: Any, *args: Any, **kwargs: Any) -> Any:
    """A caller's mistake (an unknown unit or document, a bad value) as a tool error the agent can
    read and correct, not as an internal error."""
    try:
        return fn(*args, **kwargs)
    except (LookupError, ValueError) as exc:
        raise ToolError(str(exc)) from exc


class RoleGate:
    """Hides the admin tools from readers and refuses their calls (MCP server middleware)."""

    def __init__(self, default_role: str):
        self.default_role = default_role

    def role(self, ctx: ServerRequestContext[Any, Any]) -> str:
        request = ctx.request
        scope = getattr(request, "scope", None)
        if scope is not None:
            return (scope.get("state") or {}).get(ROLE_KEY) or "reader"
        return self.default_role

    async def __call__(self, ctx: ServerRequestContext[Any, Any], call_next: CallNext) -> HandlerResult:
        if self.role(ctx) == "admin":
            return await call_next(ctx)
        if ctx.method == "tools/call" and (ctx.params or {}).get("name") in ADMIN_TOOLS:
            return CallToolResult(content=[TextContent(type="text", text=(
                "没有权限：只有管理员密钥可以使用该工具。/ Forbidden: this tool needs an admin key."))], is_error=True)
        result = await call_next(ctx)
        if ctx.method == "tools/list":
            if isinstance(result, ListToolsResult):
                result = result.model_copy(update={"tools": [t for t in result.tools if t.name not in ADMIN_TOOLS]})
            elif isinstance(result, dict) and "tools" in result:
                result = {**result, "tools": [t for t in result["tools"] if t.get("name") not in ADMIN_TOOLS]}
        return result
