"""Shared pieces of sendplan's plot scripts: reading results by name (results), the one fan chart
(fans) and the look the charts share (style); one module per script draws its charts."""
import matplotlib

# Plots are written to files, often where there is no display.
matplotlib.use("Agg")
