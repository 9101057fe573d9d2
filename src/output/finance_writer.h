#pragma once
// The high-needs finance table of a run: spend by element and by placement, capital, income and the
// DSG balance, by year, as percentiles over draws (high_needs_spend.csv).

#include "finance/spend.h"
#include "output/atomic_output.h"

namespace sendplan {

void write_finance_csv(const ResultsFolder& folder, const SpendResult& spend);

}  // namespace sendplan
