"""Workshop floor kiosk: job cards, parts issue, warranty tags and labels for car workshops."""

__version__ = "0.1.0"
