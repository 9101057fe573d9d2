"""The board pack's key messages, written from the numbers: for each option what it buys, what it
costs and how sure we are, and the caveat long-horizon figures need.
"""
from .results import TOTAL, csv_quantiles, in_sentence, level_in


def money(value):
    """£ in words a board reads: £850k, £12.3m, £3.3bn."""
    size = abs(value)
    if size >= 1e9:
        return f"£{value / 1e9:,.1f}bn"
    if size >= 1e6:
        return f"£{value / 1e6:,.1f}m"
    return f"£{value / 1e3:,.0f}k"


def measure(appraisal, option, code, level=None):
    """An option's appraisal measure by its code (appraisal.csv's "Measure code"), summed over the
    rows it has (places_added comes by place group): the mean, or the percentile `level` (0.05 for
    the 5th); not a number where it has none."""
    rows = appraisal[(appraisal["option"] == option) & (appraisal["measure_code"] == code)]
    if rows.empty:
        return float("nan")
    return (rows["mean"] if level is None else level_in(csv_quantiles(rows), level)).sum()


def places_added(appraisal, option):
    """{place group: local places the option adds by the last year}, the groups it changes only."""
    rows = appraisal[(appraisal["option"] == option) & (appraisal["measure_code"] == "places_added")]
    return {group: mean for group, mean in zip(rows["place_group"], rows["mean"]) if round(mean) != 0}


def chance_cell(base, option):
    """The chance places suffice, base then option, for a table's cell."""
    a, b = round(100 * base), round(100 * option)
    return f"{a}% with or without" if a == b else f"{a}% to {b}%"


def chance_words(base, option, year, kind):
    """The change in the chance that `kind` places suffice in `year`, in words, saying plainly what
    a change from nothing to nothing would hide."""
    a, b = round(100 * base), round(100 * option)
    if a == b == 0:
        every = "every" if base == option == 0 else "practically every"
        return f"with or without it, {kind} places fall short in {year} in {every} simulated future"
    if a == b == 100:
        return f"with or without it, {kind} places suffice in {year} in practically every simulated future"
    if a == b:
        return f"it leaves the chance that {kind} places suffice in {year} at {a}%"
    return f"it {'raises' if b > a else 'lowers'} the chance that {kind} places suffice in {year} from {a}% to {b}%"


def still_needed(plan, group, year):
    """Places of `group` still needed in `year` beyond those there are, for places to suffice in 8
    simulated futures of 10 (all needs, all phases); None where the plan has no such row."""
    row = plan[(plan["place_group"] == group) & (plan["phase"] == TOTAL) & (plan["need_group"] == TOTAL) & (plan["year"] == year)]
    if row.empty:
        return None
    return max(0.0, float(row.iloc[0]["places_needed_80"]) - float(row.iloc[0]["places"]))


def needed_words(base_plan, option_plan, group, kind, year, adds):
    """The places still needed with the option, against those needed without it; `adds`: whether
    the option adds places of the group."""
    base, option = still_needed(base_plan, group, year), still_needed(option_plan, group, year)
    if option is None or base is None:
        return ""
    if round(option) == 0:
        return f"in {year} the {kind} places there would be suffice in 8 simulated futures of 10"
    return (f"{'even so, ' if adds else ''}{option:,.0f} more {kind} places would be needed in {year} to suffice in 8 futures of 10 "
            f"(without it: {base:,.0f})")


def places_words(added, kind, last_year):
    if added > 0:
        return f"Adds {added:,.0f} local {kind} places by {last_year}."
    if added < 0:
        return f"Leaves {-added:,.0f} fewer local {kind} places by {last_year} than the base."
    return f"Adds no local places by {last_year}."


def sufficiency_words(context, option, group, kind, added):
    """The places still needed with the option and the chance places suffice, as one sentence."""
    year, by_year = context.check_year, context.by_year
    needed = needed_words(context.plans[context.base], context.plans[option], group, kind, year, added > 0)
    chance = by_year[(by_year["option"] == option) & (by_year["year"] == year) & (by_year["place_group"] == group)]
    words = [needed] + ([chance_words(chance.iloc[0]["chance_places_suffice_base"], chance.iloc[0]["chance_places_suffice_option"], year, kind)]
                        if not chance.empty else [])
    sentence = "; ".join(w for w in words if w)
    return [sentence[:1].upper() + sentence[1:] + "."] if sentence else []


def group_messages(context, option, group, label):
    """What the option does for one place group: places it adds, places still needed, the chance
    places suffice."""
    kind = in_sentence(label)
    added = places_added(context.appraisal, option).get(group, 0.0)
    return [places_words(added, kind, context.last_year)] + sufficiency_words(context, option, group, kind, added)


def saving_words(appraisal, option, code, saving_sign):
    """A money measure as a saving or a cost against the base, with its 90% interval in the same
    words; `saving_sign` is the sign of a saving in the measure (-1 for a cost, +1 for a net
    present value)."""
    mean, low, high = (saving_sign * measure(appraisal, option, code, level) for level in (None, 0.05, 0.95))
    low, high = min(low, high), max(low, high)
    if low >= 0:
        return f"saves {money(mean)} (90% interval {money(low)} to {money(high)})"
    if high <= 0:
        return f"costs {money(-mean)} (90% interval {money(-high)} to {money(-low)})"
    return f"{'saves' if mean >= 0 else 'costs'} {money(abs(mean))} (90% interval from a cost of {money(-low)} to a saving of {money(high)})"


def cost_messages(appraisal, option):
    """What the option costs against the base, and what it saves overall."""
    avoided = measure(appraisal, option, "out_of_borough_placements_avoided")
    capital = measure(appraisal, option, "capital_cost_cash_gbp")
    return [f"{f'Capital {money(capital)} (cash)' if round(capital) else 'No capital'}. In running costs it "
            f"{saving_words(appraisal, option, 'revenue_cost_present_value_gbp', -1)} against the base, in present value.",
            f"Overall (net present value, capital included) it {saving_words(appraisal, option, 'npv_gbp', 1)}, and "
            f"{'avoids' if avoided >= 0 else 'adds'} {abs(avoided):,.0f} pupil-years of placements out of the borough or in independent schools "
            "because local places were full."]


def option_messages(context, option, labels, main_group):
    """The key messages of one option, sentence by sentence: for each place group it changes, or,
    where it changes none (an option about demand), for the main one."""
    lines = []
    for group in places_added(context.appraisal, option) or [main_group]:
        lines += group_messages(context, option, group, labels(group))
    return lines + cost_messages(context.appraisal, option)


def growth_caveat(base_year, last_year, growth, deficit, horizon_checked):
    """The caveat a long-horizon headline needs: how far ahead the forecasts have been checked."""
    figures = [f"plans reach {growth:.1f} times today's number by {last_year}"]
    if deficit is not None and deficit < 0:
        figures.append(f"the cumulative DSG deficit {money(-deficit)}")
    return (f"Figures far ahead are a warning, not a forecast. In the base, {' and '.join(figures)} (medians). They carry the "
            f"growth of recent years forward for {last_year - base_year} years, while forecasts made this way have been checked against "
            f"what happened only up to {horizon_checked} years ahead; policy, funding and practice will change the path. "
            f"Plan and budget on the next {horizon_checked} years; read later years as where the present trend leads.")
