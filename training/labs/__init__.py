"""Practice labs: scheduling sessions, booking places, recording attendance."""
