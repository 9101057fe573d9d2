"""The fan chart every sendplan plot draws: central intervals of the draws shaded around the median."""
from .results import MEDIAN, level_in

# Nested bands: the widest palest, so that the narrower shows through it.
NESTED_SHADES = (0.18, 0.35)


def interval(quantiles, width):
    """The low and high ends of the central interval holding `width` of the draws (0.9: 5th to 95th)."""
    tail = (1 - width) / 2
    return level_in(quantiles, tail), level_in(quantiles, 1 - tail)


def fan(ax, x, quantiles, colour, intervals=(0.90, 0.80), shades=NESTED_SHADES, label="median", band_label="{:.0%} interval", **median_style):
    """Shade each central interval in `intervals` and draw the median over them.

    quantiles: {percentile level: values at x}, as results.quantiles_of or results.csv_quantiles give.
    band_label: each band's legend entry, formatted with its width; None leaves bands out of the legend.
    median_style: matplotlib line settings for the median (linewidth, linestyle, ...).
    """
    for width, shade in zip(intervals, shades):
        low, high = interval(quantiles, width)
        ax.fill_between(x, low, high, color=colour, alpha=shade, linewidth=0, label=band_label.format(width) if band_label else None)
    style = {"linewidth": 2, **median_style}
    return ax.plot(x, level_in(quantiles, MEDIAN), color=colour, label=label, **style)
