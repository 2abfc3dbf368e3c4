"""Notifications: what happened to each person, in the app and by email as they chose."""
