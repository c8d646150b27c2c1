"""The application form's logic: its form, the routing to a partner, the emails, the purge
and the demo routing table (the models are in newcomers/models/applications.py)."""
