"""Contacts: recording them, reading them back, and the queue they wait in.

The queue (``queue``) and the display objects (``views``) import no SQLAlchemy: the desk
paints its queue before the ORM has loaded. ``service`` holds the units of work.
"""
