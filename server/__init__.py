"""`recsight serve`: the semantic layer as MCP tools, resources and prompts.

A thin front end: tools validate their arguments, call the engine, and turn answers into text a
person can read plus structured content a program can use. Nothing here computes a number.
"""
