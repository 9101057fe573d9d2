"""Shared pieces of sendplan's plot scripts: reading results by name (results), the one fan chart
(fans) and the look every chart shares (style)."""
