#pragma once
// Walker's alias method: one random number draws from a fixed categorical distribution in O(1).
// Built once per draw into preallocated storage, so the hot loop never allocates. Each category is
// one 8-byte slot (threshold and alias side by side), so a draw reads one cache line, not three.
#include <cstddef>
#include <cstdint>
#include <vector>

namespace sendplan {

struct AliasSlot {
    std::uint32_t threshold;  // keep this category when the fractional part (of 2^32) is below it
    std::uint32_t alias;      // otherwise take this one
};

// A read-only view of one built table.
class AliasView {
public:
    AliasView() = default;
    AliasView(const AliasSlot* slots, std::uint32_t size) : slots_(slots), size_(size) {}

    // From 32 random bits: their product with the size picks the slot (high half) and the
    // fraction that decides between the slot's category and its alias (low half).
    std::uint32_t sample32(std::uint32_t bits) const {
        const std::uint64_t scaled = static_cast<std::uint64_t>(bits) * size_;
        const AliasSlot slot = slots_[scaled >> 32];
        // Both candidates are at hand, so the choice compiles to a conditional move, not a branch
        // that mispredicts half the time.
        return static_cast<std::uint32_t>(scaled) < slot.threshold ? static_cast<std::uint32_t>(scaled >> 32) : slot.alias;
    }
    std::uint32_t size() const { return size_; }

private:
    const AliasSlot* slots_ = nullptr;
    std::uint32_t size_ = 0;
};

// Scratch space for building tables, reused across builds.
struct AliasWorkspace {
    std::vector<std::uint32_t> small, large;
    std::vector<double> scaled;
};

// Fills n slots from weights that need not sum to one; all zero gives category 0 always (callers
// never sample then).
void build_alias(const double* weights, std::size_t n, AliasSlot* slots, AliasWorkspace& workspace);

class AliasTable {
public:
    AliasTable() = default;
    explicit AliasTable(std::size_t categories) : slots_(categories) {}

    void build(const double* weights, std::size_t n) {
        if (slots_.size() < n) slots_.resize(n);
        size_ = static_cast<std::uint32_t>(n);
        build_alias(weights, n, slots_.data(), workspace_);
    }
    std::uint32_t sample32(std::uint32_t bits) const { return view().sample32(bits); }
    AliasView view() const { return AliasView(slots_.data(), size_); }
    std::size_t size() const { return size_; }

private:
    std::vector<AliasSlot> slots_;
    std::uint32_t size_ = 0;
    AliasWorkspace workspace_;
};

// Rows of categorical distributions of one width, stored side by side, whose alias tables are
// built the first time a row is used. A draw samples every row's probabilities (so the random
// numbers do not depend on which rows the process reaches), but many rows (ages or settings nobody
// is in) are never sampled from.
class LazyAliasTables {
public:
    LazyAliasTables(std::size_t rows, std::size_t width)
        : width_(width), weights_(rows * width, 0.0), built_(rows, 0), slots_(rows * width) {}

    // Where to write row r's weights; the row is rebuilt on its next use.
    double* weights(std::size_t r) {
        built_[r] = 0;
        return &weights_[r * width_];
    }
    AliasView operator[](std::size_t r) {
        if (!built_[r]) {
            build_alias(&weights_[r * width_], width_, &slots_[r * width_], workspace_);
            built_[r] = 1;
        }
        return AliasView(&slots_[r * width_], static_cast<std::uint32_t>(width_));
    }
    std::size_t width() const { return width_; }

private:
    std::size_t width_;
    std::vector<double> weights_;
    std::vector<std::uint8_t> built_;
    std::vector<AliasSlot> slots_;
    AliasWorkspace workspace_;
};

}  // namespace sendplan
