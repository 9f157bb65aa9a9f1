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
// clang-format on

struct error {
    template <typename Rule>
    static constexpr auto message = error_message<Rule>;
};

template <typename Rule>
using control = tao::pegtl::must_if<error>::control<Rule>;

}  // namespace crit::grammar
