"""Dealer CRM: customer relationship management for distributors (经销商)."""

__version__ = "0.1.0"
