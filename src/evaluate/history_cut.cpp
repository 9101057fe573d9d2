// The history as it stood at a census: what a forecaster at that date could have known.
#include "evaluate/backtest.h"

namespace sendplan {

namespace {
template <class Map>
void keep_up_to(Map& m, int last) {
    for (auto it = m.begin(); it != m.end();) it = it->first > last ? m.erase(it) : std::next(it);
}
}  // namespace

AreaHistory history_up_to(const AreaHistory& h, int origin) {
    AreaHistory out = h;
    // Censuses are dated by their January; flows by calendar year, so the year of the origin census
    // itself is still to come.
    keep_up_to(out.stock_total, origin);
    keep_up_to(out.stock_by_setting, origin);
    keep_up_to(out.stock_by_age, origin);
    keep_up_to(out.stock_by_need, origin);
    keep_up_to(out.stock_need_by_age, origin);
    keep_up_to(out.stock_need_by_setting, origin);
    keep_up_to(out.new_total, origin - 1);
    keep_up_to(out.new_by_setting, origin - 1);
    keep_up_to(out.new_by_age, origin - 1);
    keep_up_to(out.ceased_total, origin - 1);
    keep_up_to(out.ceased_by_age, origin - 1);
    keep_up_to(out.new_by_need, origin - 1);
    keep_up_to(out.new_need_by_age, origin - 1);
    keep_up_to(out.new_need_by_setting, origin - 1);
    return out;
}

}  // namespace sendplan
