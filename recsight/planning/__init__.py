"""Planning: turning a question into a semantic query."""
