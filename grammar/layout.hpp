// Indentation-aware blocks for PEGTL: the one grammar device PEGTL lacks.
// A block is the run of lines indented deeper than the line that opened it,
// all at the same indentation; blank and comment-only lines are skipped.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <type_traits>
#include <vector>

#include <tao/pegtl.hpp>
#include <tao/pegtl/contrib/analyze_traits.hpp>

namespace crit::grammar {

namespace pegtl = tao::pegtl;

inline constexpr std::size_t kMaxBlockDepth = 16;   // nested blocks
inline constexpr std::size_t kMaxNestDepth = 32;    // nested parentheses / prefix operators

// What kind of mistake a grammar error is: the diagnostic code it is reported under.
enum class ErrorKind : std::uint8_t { Syntax, Indentation, TooDeep };

// A parse error that knows its kind (errors.hpp gives every message its kind).
struct grammar_error : pegtl::parse_error {
    template <typename ParseInput>
    grammar_error(const char* msg, const ParseInput& in, ErrorKind k) : pegtl::parse_error(msg, in), kind(k) {}
    ErrorKind kind;
};

// The layout's own errors; their messages and kinds are rows of the table in errors.hpp.
enum class LayoutError : std::uint8_t { Tab, BlocksTooDeep, BlockItem, UnexpectedIndent, BadDedent, ExprTooDeep };
template <LayoutError E, typename ParseInput>
[[noreturn]] void raise_layout(const ParseInput& in);

// Parse state shared by the layout rules: the stack of open block indentations.
struct Layout {
    std::vector<std::size_t> indents{0};
    std::size_t nest = 0;
};

template <typename T, typename First, typename... Rest>
T& find_state(First& first, Rest&... rest) {
    if constexpr (std::is_same_v<std::decay_t<First>, T>)
        return first;
    else
        return find_state<T>(rest...);
}

// Skips blank and comment-only lines; returns the indentation of the next
// content line (input left at that line's start) or npos at end of input.
template <typename ParseInput>
std::size_t next_indent(ParseInput& in) {
    for (;;) {
        std::size_t i = 0;
        while (i < in.size(i + 1) && in.peek_char(i) == ' ') ++i;
        if (i < in.size(i + 1) && in.peek_char(i) == '\t') {
            in.bump_in_this_line(i);
            raise_layout<LayoutError::Tab>(in);
        }
        if (i >= in.size(i + 1)) return std::string::npos;
        char c = in.peek_char(i);
        if (c == '\n' || c == '\r' || c == '#') {
            while (!in.empty() && in.peek_char() != '\n') in.bump_in_this_line(1);
            if (!in.empty()) in.bump_to_next_line(1);
            continue;
        }
        return i;
    }
}

// block<Item>: one or more Items, each on its own line(s), indented deeper than
// the enclosing block. Item must consume its own line end.
template <typename Item>
struct block {
    using rule_t = block;
    using subs_t = pegtl::type_list<Item>;

    template <pegtl::apply_mode A, pegtl::rewind_mode M, template <typename...> class Action,
              template <typename...> class Control, typename ParseInput, typename... States>
    static bool match(ParseInput& in, States&&... st) {
        auto& layout = find_state<Layout>(st...);
        auto marker = in.template mark<pegtl::rewind_mode::required>();
        std::size_t k = next_indent(in);
        if (k == std::string::npos || k <= layout.indents.back()) return marker(false);
        if (layout.indents.size() > kMaxBlockDepth) {
            in.bump_in_this_line(k);
            raise_layout<LayoutError::BlocksTooDeep>(in);
        }
        layout.indents.push_back(k);
        for (;;) {
            in.bump_in_this_line(k);
            if (!pegtl::match<Item, A, pegtl::rewind_mode::required, Action, Control>(in, st...))
                raise_layout<LayoutError::BlockItem>(in);
            std::size_t j = next_indent(in);
            if (j == std::string::npos || j < k) break;
            if (j > k) {
                in.bump_in_this_line(j);
                raise_layout<LayoutError::UnexpectedIndent>(in);
            }
        }
        layout.indents.pop_back();
        // A dedent must land on an enclosing block's indentation.
        std::size_t j = next_indent(in);
        if (j != std::string::npos) {
            bool aligned = false;
            for (auto lvl : layout.indents) aligned = aligned || lvl == j;
            if (!aligned && j < k) {
                in.bump_in_this_line(j);
                raise_layout<LayoutError::BadDedent>(in);
            }
        }
        return marker(true);
    }
};

// nested<Rule>: Rule with a bound on recursion depth (parentheses, prefix operators),
// so hostile input gets an error instead of exhausting the stack.
template <typename Rule>
struct nested {
    using rule_t = nested;
    using subs_t = pegtl::type_list<Rule>;

    template <pegtl::apply_mode A, pegtl::rewind_mode M, template <typename...> class Action,
              template <typename...> class Control, typename ParseInput, typename... States>
    static bool match(ParseInput& in, States&&... st) {
        auto& layout = find_state<Layout>(st...);
        if (layout.nest >= kMaxNestDepth)
            raise_layout<LayoutError::ExprTooDeep>(in);
        ++layout.nest;
        struct Guard {
            std::size_t& n;
            ~Guard() { --n; }
        } guard{layout.nest};
        // The free match() runs the control hooks (must_if raises, parse-tree nodes).
        return pegtl::match<Rule, A, M, Action, Control>(in, st...);
    }
};

}  // namespace crit::grammar

namespace tao::pegtl {
template <typename Name, typename Item>
struct analyze_traits<Name, crit::grammar::block<Item>> : analyze_any_traits<Item> {};
template <typename Name, typename Rule>
struct analyze_traits<Name, crit::grammar::nested<Rule>> : analyze_seq_traits<Rule> {};
}  // namespace tao::pegtl
