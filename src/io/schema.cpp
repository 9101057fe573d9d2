#include "io/schema.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "core/error.h"
#include "core/numbers.h"

namespace sendplan {
namespace {

std::string type_of(const YAML::Node& spec) { return spec["type"] ? spec["type"].as<std::string>() : std::string("string"); }

std::string bounds(const YAML::Node& spec) {
    const bool lo = static_cast<bool>(spec["min"]), hi = static_cast<bool>(spec["max"]);
    if (lo && hi) return " from " + spec["min"].as<std::string>() + " to " + spec["max"].as<std::string>();
    if (lo) return " of at least " + spec["min"].as<std::string>();
    if (hi) return " of at most " + spec["max"].as<std::string>();
    return "";
}

std::string expected(const YAML::Node& spec);

// The values, options or keys a spec lists, joined for the message.
std::string listed_values(const YAML::Node& spec) {
    std::string v;
    for (const auto& x : spec["values"]) v += (v.empty() ? "" : ", ") + x.as<std::string>();
    return v;
}
std::string listed_options(const YAML::Node& spec) {
    std::string v;
    for (const auto& o : spec["options"]) v += (v.empty() ? "" : " or ") + expected(o);
    return v;
}
std::string listed_keys(const YAML::Node& spec) {
    std::string v;
    for (const auto& kv : spec["keys"]) v += (v.empty() ? "" : ", ") + kv.first.as<std::string>();
    return v;
}

// What a spec expects, in words, for the message.
std::string expected(const YAML::Node& spec) {
    const std::string t = type_of(spec);
    if (t == "string") return "a text value";
    if (t == "integer") return "a whole number" + bounds(spec);
    if (t == "number") return "a number" + bounds(spec);
    if (t == "percent") return "a per cent" + bounds(spec) + " (5 or 5% for five per cent)";
    if (t == "boolean") return "yes or no";
    if (t == "year") return "a year such as 2029";
    if (t == "list") return "a list (each " + expected(spec["items"]) + ")";
    if (t == "year_map") return "years, each with " + expected(spec["values"]) + ", such as {2029: 30, 2030: 60}";
    if (t == "census_map")
        return "January census years or the months provisions open, each with " + expected(spec["values"]) + ", such as {2029: 30} or {2028-09: 30}";
    if (t == "named_map") return "a mapping of names, each to " + expected(spec["values"]);
    if (t == "enum") return "one of: " + listed_values(spec);
    if (t == "one_of") return listed_options(spec);
    if (t == "map") return "a mapping with keys among: " + listed_keys(spec);
    return t;
}

std::string found(const YAML::Node& node) {
    if (node.IsMap()) return "a mapping";
    if (node.IsSequence()) return "a list";
    if (node.IsNull()) return "nothing";
    return shown(node.Scalar());
}

template <class T>
bool parse(const std::string& s, T& out) {
    auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc() && ptr == s.data() + s.size();
}

// A spec's `min` or `max`, read as the values it bounds are read, so that the check here and the
// reader's agree to the last digit; `otherwise` where the spec gives none.
template <class T>
T bound(const YAML::Node& spec, const char* which, T otherwise) {
    if (!spec[which]) return otherwise;
    T v{};
    if (!parse(spec[which].Scalar(), v)) throw std::logic_error(std::string("schema: ") + which + " '" + spec[which].Scalar() + "' is not a " + type_of(spec));
    return v;
}
template <class T>
bool outside(const YAML::Node& spec, T v) {
    return v < bound(spec, "min", std::numeric_limits<T>::lowest()) || v > bound(spec, "max", std::numeric_limits<T>::max());
}

class Validator {
public:
    explicit Validator(const YamlFile& f) : f_(f) {}

    // Returns when `node` fits `spec`; throws InputError where it does not (one_of tries each option).
    void check(const YAML::Node& node, const YAML::Node& spec, const std::string& field) {
        const std::string t = type_of(spec);
        if (t == "map" || t == "named_map" || t == "year_map" || t == "census_map") return check_map(node, spec, field, t);
        if (t == "list") return check_list(node, spec, field);
        if (t == "one_of") return check_one_of(node, spec, field);
        check_scalar(node, spec, field, t);
    }

private:
    [[noreturn]] void refuse(const YAML::Node& at, const std::string& where, const std::string& what) const { throw yaml_error(f_, at, where, what); }
    [[noreturn]] void wrong(const YAML::Node& node, const YAML::Node& spec, const std::string& field) const {
        // `sendplan init` writes REQUIRED where only the authority knows the figure.
        if (node.IsScalar() && node.Scalar() == "REQUIRED")
            refuse(node, field, "still REQUIRED: give " + expected(spec) + " (the comment above it in the scenario says where to find it)");
        refuse(node, field, "expected " + expected(spec) + ", found " + found(node));
    }

    void check_map(const YAML::Node& node, const YAML::Node& spec, const std::string& field, const std::string& t) {
        if (!node.IsMap()) wrong(node, spec, field);
        for (const auto& kv : node) check_entry(kv.first, kv.second, spec, field, t);
        if (t == "map" && spec["required"])
            for (const auto& r : spec["required"])
                if (!node[r.as<std::string>()])
                    refuse(node, field.empty() ? r.as<std::string>() : field + "." + r.as<std::string>(), "required key is missing");
    }

    // A key of a map (a key the spec lists), of a named map (any name) or of a year map (a year).
    void check_entry(const YAML::Node& key_node, const YAML::Node& value, const YAML::Node& spec, const std::string& field, const std::string& t) {
        const std::string key = key_node.Scalar();
        const std::string sub = field.empty() ? key : field + "." + key;
        if (t == "map") {
            const YAML::Node key_spec = spec["keys"][key];
            if (!key_spec) refuse(key_node, sub, "unknown key; expected one of: " + listed_keys(spec));
            check(value, key_spec, sub);
        } else if (t == "named_map") {
            check(value, spec["values"], sub);
        } else if (t == "census_map") {
            if (!key_node.IsScalar() || !census_year_of(key))
                refuse(key_node, field, "expected a January census year such as 2029, or the month a provision opens such as 2028-09, as the key, found " + found(key_node));
            check(value, spec["values"], sub);
        } else {
            long year = 0;
            if (!key_node.IsScalar() || !parse(key, year) || year < kFirstYear || year > kLastYear)
                refuse(key_node, field, "expected a year such as 2029 as the key, found " + found(key_node));
            check(value, spec["values"], sub);
        }
    }

    void check_list(const YAML::Node& node, const YAML::Node& spec, const std::string& field) {
        if (!node.IsSequence()) wrong(node, spec, field);
        for (std::size_t i = 0; i < node.size(); ++i) check(node[i], spec["items"], field + "[" + std::to_string(i) + "]");
    }

    void check_one_of(const YAML::Node& node, const YAML::Node& spec, const std::string& field) {
        for (const auto& option : spec["options"]) {
            try {
                check(node, option, field);
                return;
            } catch (const InputError&) {
            }
        }
        wrong(node, spec, field);
    }

    void check_scalar(const YAML::Node& node, const YAML::Node& spec, const std::string& field, const std::string& t) {
        if (!node.IsScalar()) wrong(node, spec, field);
        const std::string s = node.Scalar();
        if (t == "string") return;
        if (t == "boolean") {
            if (s != "yes" && s != "no" && s != "true" && s != "false") wrong(node, spec, field);
            return;
        }
        if (t == "enum") {
            for (const auto& v : spec["values"])
                if (v.as<std::string>() == s) return;
            wrong(node, spec, field);
        }
        if (t == "integer" || t == "year") return check_integer(node, spec, field, t);
        if (t == "number") return check_number(node, spec, field);
        if (t == "percent") {
            schema_number(f_, node, field, spec);  // refuses with the fraction's own message
            return;
        }
        throw std::logic_error("schema: unknown type '" + t + "' at " + field);
    }

    void check_integer(const YAML::Node& node, const YAML::Node& spec, const std::string& field, const std::string& t) {
        long v = 0;
        if (!parse(node.Scalar(), v)) wrong(node, spec, field);
        if (t == "year" && (v < kFirstYear || v > kLastYear)) wrong(node, spec, field);
        if (outside(spec, v)) wrong(node, spec, field);
    }

    void check_number(const YAML::Node& node, const YAML::Node& spec, const std::string& field) {
        double v = 0;
        if (!parse(node.Scalar(), v) || !std::isfinite(v)) wrong(node, spec, field);
        if (outside(spec, v)) wrong(node, spec, field);
    }

    const YamlFile& f_;
};

}  // namespace

const YAML::Node& scenario_schema() {
    static const YAML::Node schema = YAML::Load(scenario_schema_text());
    return schema;
}

namespace {

// Every key of a mapping spec, and of the mapping specs among its keys, made required.
void require_every_key(YAML::Node spec) {
    if (type_of(spec) != "map") return;
    YAML::Node required(YAML::NodeType::Sequence);
    for (auto kv : spec["keys"]) {
        required.push_back(kv.first.Scalar());
        require_every_key(kv.second);
    }
    spec["required"] = required;
}

// What a number or whole number is read against: the spec itself, or its lists' items and its
// maps' values.
YAML::Node value_spec(const YAML::Node& spec) {
    const std::string t = type_of(spec);
    if (t == "list") return value_spec(spec["items"]);
    if (t == "year_map" || t == "census_map" || t == "named_map") return value_spec(spec["values"]);
    return spec;
}

}  // namespace

const YAML::Node& assumptions_schema() {
    static const YAML::Node schema = [] {
        YAML::Node s = YAML::Clone(scenario_schema()["keys"]["assumptions"]);
        require_every_key(s);
        return s;
    }();
    return schema;
}

void validate_against_schema(const YamlFile& file, const YAML::Node& schema) { Validator(file).check(file.root, schema, ""); }

YAML::Node schema_spec(const YAML::Node& spec, const std::vector<std::string>& path) {
    // Looked up through a const node (a lookup through another adds the key) and moved on with
    // reset (assigning one YAML::Node to another would write into the schema).
    YAML::Node at;
    at.reset(spec);
    const YAML::Node& here = at;
    std::string walked;
    for (const auto& key : path) {
        while (type_of(here) == "list") at.reset(here["items"]);
        walked += (walked.empty() ? "" : ".") + key;
        if (type_of(here) != "map" || !here["keys"][key]) throw std::logic_error("schema: no key " + walked);
        at.reset(here["keys"][key]);
    }
    return at;
}

std::vector<std::string> schema_keys(const YAML::Node& spec) {
    std::vector<std::string> keys;
    for (const auto& kv : spec["keys"]) keys.push_back(kv.first.Scalar());
    return keys;
}

long schema_integer(const YamlFile& file, const YAML::Node& node, const std::string& field, const YAML::Node& spec) {
    const YAML::Node s = value_spec(spec);
    return as_integer(file, node, field, bound(s, "min", std::numeric_limits<long>::lowest()), bound(s, "max", std::numeric_limits<long>::max()));
}

double schema_number(const YamlFile& file, const YAML::Node& node, const std::string& field, const YAML::Node& spec) {
    const YAML::Node s = value_spec(spec);
    const double lo = bound(s, "min", std::numeric_limits<double>::lowest()), hi = bound(s, "max", std::numeric_limits<double>::max());
    return type_of(s) == "percent" ? as_percent(file, node, field, lo, hi) : as_number(file, node, field, lo, hi);
}

}  // namespace sendplan
