// IndexArray: the layout its type names (last dimension fastest), rows, extents by dimension.
#include <catch2/catch.hpp>

#include <algorithm>
#include <numeric>

#include "core/index_array.h"

using namespace sendplan;

TEST_CASE("an index array lays out its values with the last dimension fastest") {
    IndexArray<int, dim::Age, dim::Need, dim::Setting> a({4, 3, 2}, -1);
    REQUIRE(a.size() == 24);
    CHECK(a.offset(0, 0, 0) == 0);
    CHECK(a.offset(0, 0, 1) == 1);
    CHECK(a.offset(0, 1, 0) == 2);
    CHECK(a.offset(1, 0, 0) == 6);
    CHECK(a.offset(3, 2, 1) == 23);
    for (std::size_t age = 0; age < 4; ++age)
        for (int need = 0; need < 3; ++need)
            for (long setting = 0; setting < 2; ++setting) a(age, need, setting) = static_cast<int>(age * 100 + static_cast<std::size_t>(need) * 10) + static_cast<int>(setting);
    CHECK(a.values()[a.offset(2, 1, 1)] == 211);
    CHECK(a(3, 2, 0) == 320);
    CHECK(std::count(a.begin(), a.end(), -1) == 0);
}

TEST_CASE("an index array's row is its last dimension at the leading indices") {
    IndexArray<double, dim::Age, dim::Setting, dim::ToSetting> moves({3, 2, 2}, 0.0);
    moves(1, 1, 0) = 0.25;
    moves(1, 1, 1) = 0.75;
    const auto row = moves.row(1, 1);
    REQUIRE(row.size() == 2);
    CHECK(row[0] == 0.25);
    CHECK(std::accumulate(row.begin(), row.end(), 0.0) == 1.0);
    row[0] = 0.5;  // a row is a view, not a copy
    CHECK(moves(1, 1, 0) == 0.5);
    IndexArray<double, dim::Age> by_age({5}, 2.0);
    CHECK(by_age.row().size() == 5);
}

TEST_CASE("an index array tells each dimension's extent by its kind") {
    IndexArray<float, dim::Year, dim::Group, dim::Phase, dim::Need> places({7, 3, 2, 14});
    CHECK(places.extent<dim::Year>() == 7);
    CHECK(places.extent<dim::Group>() == 3);
    CHECK(places.extent<dim::Phase>() == 2);
    CHECK(places.extent<dim::Need>() == 14);
    CHECK(places.size() == 7 * 3 * 2 * 14);
    places.clear();
    CHECK(places.empty());
    CHECK(places.extent<dim::Need>() == 0);
    places.assign({1, 1, 1, 2}, 3.0f);
    CHECK(places(0, 0, 0, 1) == 3.0f);
}

TEST_CASE("index arrays compare by shape and values") {
    IndexArray<int, dim::Age, dim::Need> a({2, 3}, 1), b({3, 2}, 1), c({2, 3}, 1);
    CHECK_FALSE(a == b);
    CHECK(a == c);
    c(1, 2) = 0;
    CHECK_FALSE(a == c);
}
