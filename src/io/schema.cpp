#include "io/schema.h"

#include <algorithm>
#include <charconv>
#include <cmath>

#include "core/error.h"

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

// What a spec expects, in words, for the message.
std::string expected(const YAML::Node& spec) {
    const std::string t = type_of(spec);
    if (t == "string") return "a text value";
    if (t == "integer") return "a whole number" + bounds(spec);
    if (t == "number") return "a number" + bounds(spec);
    if (t == "boolean") return "yes or no";
    if (t == "year") return "a year such as 2029";
    if (t == "list") return "a list (each " + expected(spec["items"]) + ")";
    if (t == "year_map") return "years, each with " + expected(spec["values"]) + ", such as {2029: 30, 2030: 60}";
    if (t == "named_map") return "a mapping of names, each to " + expected(spec["values"]);
    if (t == "enum") {
        std::string v;
        for (const auto& x : spec["values"]) v += (v.empty() ? "" : ", ") + x.as<std::string>();
        return "one of: " + v;
    }
    if (t == "one_of") {
        std::string v;
        for (const auto& o : spec["options"]) v += (v.empty() ? "" : " or ") + expected(o);
        return v;
    }
    if (t == "map") {
        std::string v;
        for (const auto& kv : spec["keys"]) v += (v.empty() ? "" : ", ") + kv.first.as<std::string>();
        return "a mapping with keys among: " + v;
    }
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

class Validator {
public:
    explicit Validator(const YamlFile& f) : f_(f) {}

    // Returns when `node` fits `spec`; throws InputError where it does not (one_of tries each option).
    void check(const YAML::Node& node, const YAML::Node& spec, const std::string& field) {
        const std::string t = type_of(spec);
        auto refuse = [&](const YAML::Node& at, const std::string& where, const std::string& what) {
            throw yaml_error(f_, at, where, what);
        };
        auto wrong = [&] { refuse(node, field, "expected " + expected(spec) + ", found " + found(node)); };
        if (t == "map" || t == "named_map" || t == "year_map") {
            if (!node.IsMap()) wrong();
            for (const auto& kv : node) {
                const std::string key = kv.first.Scalar();
                const std::string sub = field.empty() ? key : field + "." + key;
                if (t == "map") {
                    const YAML::Node key_spec = spec["keys"][key];
                    if (!key_spec) {
                        std::string list;
                        for (const auto& k : spec["keys"]) list += (list.empty() ? "" : ", ") + k.first.as<std::string>();
                        refuse(kv.first, sub, "unknown key; expected one of: " + list);
                    }
                    check(kv.second, key_spec, sub);
                } else if (t == "named_map") {
                    check(kv.second, spec["values"], sub);
                } else {
                    long year = 0;
                    if (!kv.first.IsScalar() || !parse(key, year) || year < 2000 || year > 2100)
                        refuse(kv.first, field, "expected a year such as 2029 as the key, found " + found(kv.first));
                    check(kv.second, spec["values"], sub);
                }
            }
            if (t == "map" && spec["required"])
                for (const auto& r : spec["required"])
                    if (!node[r.as<std::string>()])
                        refuse(node, field.empty() ? r.as<std::string>() : field + "." + r.as<std::string>(), "required key is missing");
            return;
        }
        if (t == "list") {
            if (!node.IsSequence()) wrong();
            for (std::size_t i = 0; i < node.size(); ++i) check(node[i], spec["items"], field + "[" + std::to_string(i) + "]");
            return;
        }
        if (t == "one_of") {
            for (const auto& option : spec["options"]) {
                try {
                    check(node, option, field);
                    return;
                } catch (const InputError&) {
                }
            }
            wrong();
        }
        if (!node.IsScalar()) wrong();
        const std::string s = node.Scalar();
        if (t == "string") return;
        if (t == "boolean") {
            if (s != "yes" && s != "no" && s != "true" && s != "false") wrong();
            return;
        }
        if (t == "enum") {
            for (const auto& v : spec["values"])
                if (v.as<std::string>() == s) return;
            wrong();
        }
        if (t == "integer" || t == "year") {
            long v = 0;
            if (!parse(s, v)) wrong();
            if (t == "year" && (v < 2000 || v > 2100)) wrong();
            if ((spec["min"] && v < spec["min"].as<long>()) || (spec["max"] && v > spec["max"].as<long>())) wrong();
            return;
        }
        if (t == "number") {
            double v = 0;
            if (!parse(s, v) || !std::isfinite(v)) wrong();
            if ((spec["min"] && v < spec["min"].as<double>()) || (spec["max"] && v > spec["max"].as<double>())) wrong();
            return;
        }
        throw std::logic_error("schema: unknown type '" + t + "' at " + field);
    }

private:
    const YamlFile& f_;
};

}  // namespace

const YAML::Node& scenario_schema() {
    static const YAML::Node schema = YAML::Load(scenario_schema_text());
    return schema;
}

void validate_against_schema(const YamlFile& file, const YAML::Node& schema) { Validator(file).check(file.root, schema, ""); }

}  // namespace sendplan
