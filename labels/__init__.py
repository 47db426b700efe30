"""Warranty-tag labels: plain label data in, a 1-bit image at the printer's resolution out, and printing it.

Imports neither peewee nor Textual. Drawing lives in labels.render, printers in labels.printing;
this package root stays light so importing it costs the kiosk nothing at start-up.
"""

from .data import LabelData
from .errors import BarcodeError, BarcodeTooWide, FormatError, LabelError, PrintError, StockError
from .stocks import STOCKS, Stock, find_stock, stock_from_config

__all__ = ["STOCKS", "BarcodeError", "BarcodeTooWide", "FormatError", "LabelData", "LabelError", "PrintError",
           "Stock", "StockError", "find_stock", "stock_from_config"]
