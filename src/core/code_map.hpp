// (system, code) -> what the bindings bind to it. The loaders look a code up
// once per record, so the lookup hashes the two views it is given: no key
// string is built and no allocation is made.
#pragma once
#include <cstddef>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace crit {

template <class V>
class CodeMap {
public:
    void clear() { map_.clear(); }

    // Adds `v` under (system, code), after the values already there.
    void add(std::string_view system, std::string_view code, V v) {
        auto it = map_.find(View{system, code});
        if (it == map_.end()) it = map_.emplace(Key{std::string(system), std::string(code)}, std::vector<V>{}).first;
        it->second.push_back(std::move(v));
    }

    // The values under (system, code), in the order they were added; empty when none.
    std::span<const V> find(std::string_view system, std::string_view code) const {
        auto it = map_.find(View{system, code});
        if (it == map_.end()) return {};
        return it->second;
    }
    // The first value added under (system, code): the binding that wins.
    std::optional<V> first(std::string_view system, std::string_view code) const {
        auto found = find(system, code);
        if (found.empty()) return std::nullopt;
        return found.front();
    }

private:
    struct Key {
        std::string system, code;
    };
    struct View {
        std::string_view system, code;
    };
    static View view(const Key& k) { return View{k.system, k.code}; }
    static View view(const View& v) { return v; }
    struct Hash {
        using is_transparent = void;
        template <class K>
        std::size_t operator()(const K& k) const noexcept {
            View v = view(k);
            std::size_t h = std::hash<std::string_view>{}(v.code);
            return h ^ (std::hash<std::string_view>{}(v.system) + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2));
        }
    };
    struct Eq {
        using is_transparent = void;
        template <class A, class B>
        bool operator()(const A& a, const B& b) const noexcept {
            View x = view(a), y = view(b);
            return x.code == y.code && x.system == y.system;
        }
    };
    std::unordered_map<Key, std::vector<V>, Hash, Eq> map_;
};

}  // namespace crit
