"""The newcomers' guide: one module per part (the guide's pages, the takeover offers, the
application form and its routing)."""
