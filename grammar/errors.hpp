// One table of syntax error messages: every committed point of the grammar
// (an `expect_*` rule) says what was expected and, where it helps, how to fix it.
// must_if<> turns a failing rule with a message into a parse error, and a rule
// used as a commit point without a message fails to compile.
#pragma once
#include <tao/pegtl.hpp>

#include "grammar.hpp"

namespace crit::grammar {

template <typename Rule>
inline constexpr const char* error_message = nullptr;
// Every message is a syntax error unless its row below says otherwise.
template <typename Rule>
inline constexpr ErrorKind error_kind = ErrorKind::Syntax;

// clang-format off
template<> inline constexpr auto error_message< expect_line_end > = "unexpected text at the end of the clause; one clause per line (a block opens with ':' at the end of a line)";
template<> inline constexpr auto error_message< expect_name > = "expected a name (letters, digits and '_', starting with a letter)";
template<> inline constexpr auto error_message< expect_string > = "expected a quoted string such as \"Hallek 2018, Table 4\"";
template<> inline constexpr auto error_message< expect_string_close > = "unterminated string: add the closing '\"' on the same line";
template<> inline constexpr auto error_message< expect_integer > = "expected a whole number, as in `at least 2 of:`";
template<> inline constexpr auto error_message< expect_duration > = "expected a duration such as `2mo`, `8wk`, `90d` or `3y`";
template<> inline constexpr auto error_message< expect_label > = "expected a label such as `CR`, `not-assessed` or a quoted string";
template<> inline constexpr auto error_message< expect_cmp_op > = "expected a comparison: <, <=, >, >=, = or !=";
template<> inline constexpr auto error_message< expect_expr > = "expected a clause, such as `lymphocytes < 4 x10^9/L` or `not hepatomegaly`";
template<> inline constexpr auto error_message< expect_paren_close > = "expected ')' to close the '(' opened before";
template<> inline constexpr auto error_message< expect_kw_class > = "expected `class` (as in `treatment of class cll_therapy`)";
template<> inline constexpr auto error_message< expect_operand > = "expected a value after the comparison, such as `4 x10^9/L`, `30%` or a date";
template<> inline constexpr auto error_message< expect_from > = "expected `from baseline`, `from nadir` or `over baseline` after the change";
template<> inline constexpr auto error_message< expect_ref_point > = "expected `baseline` or `nadir`";
template<> inline constexpr auto error_message< expect_date > = "expected a date: a name such as `therapy.end`, `first CR`, a date `2024-01-31`, optionally `+ 2mo`";
template<> inline constexpr auto error_message< expect_since > = "expected `since <date>` after `never shown <clause>` (as in `never shown (CR or PR) since assess`); put a clause with `and`/`or` in parentheses";
template<> inline constexpr auto error_message< expect_within_anchor > = "expected `after` or `of` (as in `within 6mo after therapy.end`)";
template<> inline constexpr auto error_message< expect_and_operand > = "expected a clause after `and`";
template<> inline constexpr auto error_message< expect_or_operand > = "expected a clause after `or`";
template<> inline constexpr auto error_message< expect_block_colon > = "expected ':' to open the block";
template<> inline constexpr auto error_message< expect_block > = "expected an indented block of clauses on the lines after ':'";
template<> inline constexpr auto error_message< expect_baseline_rhs > = "expected `last value within <duration> before <date>`, e.g. `baseline = last value within 90d before therapy.start`";
template<> inline constexpr auto error_message< expect_normal_body > = "expected the normal range, e.g. `normal lymphocytes < 4 x10^9/L` or `normal node_spd: node_longest_max < 1.5 cm`";
template<> inline constexpr auto error_message< expect_first_item > = "expected a criterion name in `first of ...`";
template<> inline constexpr auto error_message< expect_equals > = "expected '=' after the result name";
template<> inline constexpr auto error_message< expect_result_value > = "expected a result: `first of A, B, else NE`, `label if clause, ...`, or a clause";
template<> inline constexpr auto error_message< expect_criterion_body > = "expected a clause after ':' on the same line, or an indented block on the next lines";
template<> inline constexpr auto error_message< expect_end_of_item > = "this indented line belongs to no block: a criterion written on one line (`NAME: clause`) has no block; move the clause to its own indented line under `NAME:`";
template<> inline constexpr auto error_message< expect_top_item > = "expected a criterion (`CR: ...`), a definition (`name = ...`), `result`, `normal`, `baseline` or `guideline` at the start of the line";
template<> inline constexpr auto error_kind< expect_end_of_item > = ErrorKind::Indentation;

// The layout's errors (layout.hpp), in the same table.
struct LayoutRow {
    const char* message;
    ErrorKind kind;
};
inline constexpr LayoutRow layout_rows[] = {
    /* Tab */              {"tabs are not allowed in indentation; indent with spaces", ErrorKind::Indentation},
    /* BlocksTooDeep */    {"blocks are nested too deeply (at most 16 levels)", ErrorKind::TooDeep},
    /* BlockItem */        {"expected a clause, 'cite \"...\"' or a nested block here", ErrorKind::Syntax},
    /* UnexpectedIndent */ {"unexpected indentation: this line is indented deeper than the line above but nothing opens a block (a block opens after ':')", ErrorKind::Indentation},
    /* BadDedent */        {"this line's indentation matches no enclosing block", ErrorKind::Indentation},
    /* ExprTooDeep */      {"expression is nested too deeply (at most 32 levels of parentheses or prefixes)", ErrorKind::TooDeep},
};
// clang-format on

template <LayoutError E, typename ParseInput>
[[noreturn]] void raise_layout(const ParseInput& in) {
    constexpr const LayoutRow& row = layout_rows[static_cast<std::size_t>(E)];
    throw grammar_error(row.message, in, row.kind);
}

// must_if's behaviour (a rule with a message raises where it fails), with the kind attached.
template <typename Rule>
struct control : tao::pegtl::normal<Rule> {
    template <typename ParseInput, typename... States>
    static void failure(const ParseInput& in, States&&... st) {
        if constexpr (error_message<Rule> != nullptr) raise(in, st...);
        else tao::pegtl::normal<Rule>::failure(in, st...);
    }
    template <typename ParseInput, typename... States>
    [[noreturn]] static void raise(const ParseInput& in, States&&... st) {
        if constexpr (error_message<Rule> != nullptr) throw grammar_error(error_message<Rule>, in, error_kind<Rule>);
        else tao::pegtl::normal<Rule>::raise(in, st...);
    }
};

}  // namespace crit::grammar
