"""Letters and notices: the registry of letter types, their context, rendering and issuing."""
