"""The look the charts share."""
from matplotlib.ticker import FuncFormatter, MaxNLocator

BLUE = "#1f5aa6"
RED = "#c0392b"
# One colour per scenario, the base first.
COLOURS = [BLUE, RED, "#27ae60", "#8e44ad", "#d35400", "#16a085", "#7f8c8d"]
MILLIONS = FuncFormatter(lambda v, _: f"£{v / 1e6:,.0f}m")


def year_axis(ax, nbins=10, from_zero=True):
    """Whole years along x, a light grid, and counts from zero so that growth is not exaggerated."""
    ax.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=nbins))
    ax.grid(alpha=0.3)
    if from_zero:
        ax.set_ylim(bottom=0)

# The smallest type a chart's words and numbers use, in points: readable on a printed A4 page.
READABLE = 9
