"""The contacts views: the queue, one contact, and the contact form."""
