#pragma once
// Walker's alias method: one uniform draws from a fixed categorical distribution in O(1).
// Built once per draw into preallocated storage, so the hot loop never allocates.
#include <cstddef>
#include <cstdint>
#include <vector>

namespace sendplan {

class AliasTable {
public:
    AliasTable() = default;
    explicit AliasTable(std::size_t categories) { reserve(categories); }

    void reserve(std::size_t categories) {
        threshold_.resize(categories);
        alias_.resize(categories);
        small_.resize(categories);
        large_.resize(categories);
        scaled_.resize(categories);
    }

    // Weights need not sum to one; all zero gives category 0 always (callers never sample then).
    void build(const double* weights, std::size_t n);

    // u uniform on [0,1).
    std::uint32_t sample(double u) const {
        const double x = u * static_cast<double>(size_);
        std::size_t i = static_cast<std::size_t>(x);
        if (i >= size_) i = size_ - 1;
        // Both candidates are loaded so the choice compiles to a conditional move, not a branch
        // that mispredicts half the time.
        const std::uint32_t own = static_cast<std::uint32_t>(i), other = alias_[i];
        return (x - static_cast<double>(i)) < threshold_[i] ? own : other;
    }

    // From 32 random bits, for the hot loop where 2^-32 resolution is ample.
    std::uint32_t sample32(std::uint32_t bits) const {
        const std::uint64_t scaled = static_cast<std::uint64_t>(bits) * size_;
        const std::size_t i = static_cast<std::size_t>(scaled >> 32);
        const double frac = static_cast<double>(static_cast<std::uint32_t>(scaled)) * 0x1.0p-32;
        const std::uint32_t own = static_cast<std::uint32_t>(i), other = alias_[i];
        return frac < threshold_[i] ? own : other;
    }

    std::size_t size() const { return size_; }

private:
    std::size_t size_ = 0;
    std::vector<double> threshold_;
    std::vector<std::uint32_t> alias_;
    std::vector<std::uint32_t> small_, large_;
    std::vector<double> scaled_;
};

// Rows of categorical distributions whose alias tables are built the first time a row is used.
// A draw samples every row's probabilities (so the random numbers do not depend on which rows the
// process reaches), but many rows (ages or settings nobody is in) are never sampled from.
class LazyAliasTables {
public:
    LazyAliasTables(std::size_t rows, std::size_t width)
        : width_(width), weights_(rows * width, 0.0), built_(rows, 0), tables_(rows, AliasTable(width)) {}

    // Where to write row r's weights; the row is rebuilt on its next use.
    double* weights(std::size_t r) {
        built_[r] = 0;
        return &weights_[r * width_];
    }
    const AliasTable& operator[](std::size_t r) {
        if (!built_[r]) {
            tables_[r].build(&weights_[r * width_], width_);
            built_[r] = 1;
        }
        return tables_[r];
    }
    std::size_t width() const { return width_; }

private:
    std::size_t width_;
    std::vector<double> weights_;
    std::vector<std::uint8_t> built_;
    std::vector<AliasTable> tables_;
};

}  // namespace sendplan
