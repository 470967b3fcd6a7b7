"""The LLM planner: any OpenAI-compatible Chat Completions endpoint, used only when configured.

`config` decides whether an LLM is on; `client` talks to it; `planner` turns a question into a
validated semantic query (or guarded SQL); `phrasing` rewrites an explanation from its facts.
Importing this package sends nothing and does not import the openai SDK.
"""
