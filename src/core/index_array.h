#pragma once
// A dense array that knows its shape and names its dimensions: IndexArray<double, dim::Age,
// dim::Need> holds one value per age and need, laid out with the last dimension varying fastest.
// Each layout is written once, in the array's type, instead of in a comment beside a flat vector
// and again in every index expression that reads it. Indices are checked against the shape in
// builds without NDEBUG (the sanitizer build among them); Release builds index as a flat vector.
#include <array>
#include <cassert>
#include <cstddef>
#include <span>
#include <type_traits>
#include <vector>

namespace sendplan {

// The dimensions arrays are shaped by. A tag says what an index means; it holds nothing.
namespace dim {
struct Age {};          // single year of age at a census, 0..25
struct Need {};         // primary need, in the taxonomy's order
struct ToNeed {};       // the primary need recorded at the next census
struct Setting {};      // setting, in the taxonomy's order
struct ToSetting {};    // the setting at the next census
struct Step {};         // projection step h = 0..horizon-1
struct Year {};         // census year index within a projection, the base census first
struct Group {};        // place group
struct Phase {};        // school phase
struct PhaseRow {};     // a table's phase rows: each phase, then all phases
struct NeedRow {};      // a table's need rows: each need, broad areas, then all needs
struct Measure {};      // a table's measure columns
struct PlaceKind {};    // where a pupil was placed: own local place, elsewhere, out of borough, ...
struct Placed {};       // a placements table's columns: the demand, then each place kind
struct Provision {};    // provision in the register
struct Placement {};    // a kind of placement priced by the cost table
struct CostElement {};  // an element of a placement's cost
struct SpendLine {};    // a spend table's lines: each cost element, then each placement
struct Draw {};         // Monte Carlo draw
}  // namespace dim

// A count as the taxonomy holds it (int), as an extent: checked to be at least zero.
template <class E>
std::size_t as_extent(E count) {
    if constexpr (std::is_enum_v<E>) {
        return as_extent(static_cast<std::underlying_type_t<E>>(count));  // a count kept as an enum's last value
    } else {
        static_assert(std::is_integral_v<E>, "an extent is a whole number");
        if constexpr (std::is_signed_v<E>) assert(count >= 0);
        return static_cast<std::size_t>(count);
    }
}

// A shape from such counts.
template <class... E>
std::array<std::size_t, sizeof...(E)> shape_of(E... counts) {
    return {as_extent(counts)...};
}

template <class T, class... Dims>
class IndexArray {
public:
    static constexpr std::size_t rank = sizeof...(Dims);
    static_assert(rank > 0, "an IndexArray has at least one dimension");
    using Shape = std::array<std::size_t, rank>;

    IndexArray() { shape_.fill(0); }
    explicit IndexArray(const Shape& shape, const T& fill = T{}) { assign(shape, fill); }

    // Takes the shape given, every value `fill`.
    void assign(const Shape& shape, const T& fill = T{}) {
        shape_ = shape;
        std::size_t n = 1;
        for (std::size_t e : shape_) n *= e;
        values_.assign(n, fill);
    }

    void clear() { assign(Shape{}); }

    template <class... I>
    T& operator()(I... index) {
        return values_[offset(index...)];
    }
    template <class... I>
    const T& operator()(I... index) const {
        return values_[offset(index...)];
    }

    // The value at an offset found by offset(): for a hot loop that finds one cell's offset once
    // and reads it from several arrays of one shape.
    T& operator[](std::size_t at) { return values_[at]; }
    const T& operator[](std::size_t at) const { return values_[at]; }

    // The values along the last dimension at the leading indices given: one Dirichlet's alphas,
    // one row of a table.
    template <class... I>
    std::span<T> row(I... leading) {
        return {values_.data() + row_offset(leading...), shape_[rank - 1]};
    }
    template <class... I>
    std::span<const T> row(I... leading) const {
        return {values_.data() + row_offset(leading...), shape_[rank - 1]};
    }

    // The extent of the dimension tagged `Dim`.
    template <class Dim>
    std::size_t extent() const {
        static_assert((std::is_same_v<Dim, Dims> + ...) == 1, "the array has exactly one dimension of this kind");
        constexpr std::array<bool, rank> is_it{std::is_same_v<Dim, Dims>...};
        std::size_t d = 0;
        while (!is_it[d]) ++d;
        return shape_[d];
    }

    const Shape& shape() const { return shape_; }
    std::size_t size() const { return values_.size(); }
    bool empty() const { return values_.empty(); }
    T* data() { return values_.data(); }
    const T* data() const { return values_.data(); }
    auto begin() { return values_.begin(); }
    auto end() { return values_.end(); }
    auto begin() const { return values_.begin(); }
    auto end() const { return values_.end(); }
    const std::vector<T>& values() const { return values_; }

    // Where the value at these indices lies in the flat layout.
    template <class... I>
    std::size_t offset(I... index) const {
        static_assert(sizeof...(I) == rank, "one index for each dimension");
        static_assert(((std::is_integral_v<I> || std::is_enum_v<I>) && ...), "indices are whole numbers or enumerators");
        std::size_t at = 0, d = 0;
        ((at = at * shape_[d] + checked(index, d), ++d), ...);
        return at;
    }

    friend bool operator==(const IndexArray& a, const IndexArray& b) { return a.shape_ == b.shape_ && a.values_ == b.values_; }

private:
    template <class I>
    std::size_t checked(I index, [[maybe_unused]] std::size_t d) const {
        if constexpr (std::is_signed_v<I>) assert(index >= 0);
        assert(static_cast<std::size_t>(index) < shape_[d]);
        return static_cast<std::size_t>(index);
    }

    template <class... I>
    std::size_t row_offset(I... leading) const {
        static_assert(sizeof...(I) + 1 == rank, "one index for each dimension but the last");
        std::size_t at = 0, d = 0;
        ((at = at * shape_[d] + checked(leading, d), ++d), ...);
        return at * shape_[rank - 1];
    }

    Shape shape_;
    std::vector<T> values_;
};

}  // namespace sendplan
