"""Warranty-tag labels: plain label data in, an image at the printer's resolution out, and printing it.

Imports neither peewee nor Textual: the kiosk hands it a LabelData and a stock.
"""

from .data import LabelData  # noqa: F401
from .stocks import STOCKS, Stock, stock_from_config  # noqa: F401
