#pragma once
// Random streams keyed by (seed, draw, purpose), never by thread, so that a draw gives the same
// numbers whichever thread runs it and however many threads there are.
#include <cmath>
#include <cstdint>
#include <limits>

namespace sendplan {

// What a stream is used for. Each purpose gets its own stream so that changing how one part of the
// model consumes random numbers leaves the others untouched (and keeps scenarios on common numbers).
enum class StreamPurpose : std::uint64_t {
    parameters = 1,
    ceasing_and_moves = 2,
    transfers_in = 3,
    joiners = 5,
    joiner_noise = 6,
    need_changes = 7,
    allocation = 8,  // which pupils keep their places when some leave a setting
    redirected_moves = 9,  // which moves a scenario sends elsewhere
    costs = 10,            // what each cost turns out to be, and how fast it grows
    england_shock = 11,    // England-wide shocks to the growth of plans (not keyed by area: areas share them)
    yearly_departure = 12, // the area's own yearly departure from its pooled net growth
    synthetic_children = 13,  // which children of a cell in a synthetic history cease, move or stay
};

// A probability as a threshold out of 2^32 (2^32 itself for certainty): 32 random bits fall below
// it with that probability, to 32 bits.
inline std::uint64_t threshold_of_32_bits(double probability) {
    const double p = probability < 0.0 ? 0.0 : (probability > 1.0 ? 1.0 : probability);
    return static_cast<std::uint64_t>(std::llround(p * 4294967296.0));
}

inline std::uint64_t splitmix64(std::uint64_t& x) {
    std::uint64_t z = (x += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

// xoshiro256++ (Blackman & Vigna): small state, fast, passes BigCrush. Seeded by hashing the key
// through splitmix64, as its authors recommend. Satisfies UniformRandomBitGenerator, so Boost.Random
// distributions accept it.
class Stream {
public:
    using result_type = std::uint64_t;

    Stream(std::uint64_t seed, std::uint64_t draw, StreamPurpose purpose, std::uint64_t sub = 0) {
        std::uint64_t x = seed;
        std::uint64_t mix = splitmix64(x);
        x = mix ^ (draw * 0xD1B54A32D192ED03ULL);
        mix = splitmix64(x);
        x = mix ^ (static_cast<std::uint64_t>(purpose) * 0xAEF17502108EF2D9ULL);
        mix = splitmix64(x);
        x = mix ^ (sub * 0x9E6C63D0676A9A99ULL);
        for (auto& s : state_) s = splitmix64(x);
    }

    // A stream started from a given generator state: how the generator is checked against its
    // authors' reference output (tests/test_samplers.cpp), never how the model draws.
    static Stream from_state(std::uint64_t s0, std::uint64_t s1, std::uint64_t s2, std::uint64_t s3) {
        Stream s;
        s.state_[0] = s0;
        s.state_[1] = s1;
        s.state_[2] = s2;
        s.state_[3] = s3;
        return s;
    }

    static constexpr result_type min() { return 0; }
    static constexpr result_type max() { return std::numeric_limits<result_type>::max(); }

    result_type operator()() {
        const std::uint64_t result = rotl(state_[0] + state_[3], 23) + state_[0];
        const std::uint64_t t = state_[1] << 17;
        state_[2] ^= state_[0];
        state_[3] ^= state_[1];
        state_[1] ^= state_[2];
        state_[0] ^= state_[3];
        state_[2] ^= t;
        state_[3] = rotl(state_[3], 45);
        return result;
    }

    // Uniform on [0, 1) with 53 random bits.
    double uniform() { return static_cast<double>((*this)() >> 11) * 0x1.0p-53; }

private:
    Stream() = default;
    static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
    std::uint64_t state_[4];
};

}  // namespace sendplan
