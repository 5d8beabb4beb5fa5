"""The language server face: the engine's findings, fixes and rule docs in any LSP editor."""
