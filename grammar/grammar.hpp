// The crit grammar (PEGTL 3.x), top-down from one top-level item to tokens.
// A file is parsed one top-level item at a time (parse.cpp), so one syntax
// error does not hide the errors in later criteria. Every point where the
// parse is committed is a named `expect_*` rule with a message in errors.hpp.
#pragma once
#include <tao/pegtl.hpp>

#include "layout.hpp"

namespace crit::grammar {

using namespace tao::pegtl;

// clang-format off

// ---- Tokens ----------------------------------------------------------------
struct comment : seq< one< '#' >, until< at< eolf > > > {};
struct sp : star< blank > {};                       // spaces inside a line
struct sp1 : plus< blank > {};
// End of a logical line: trailing blanks, an optional comment, then a newline or the end.
struct line_end : seq< sp, opt< comment >, eolf > {};
struct expect_line_end : seq< line_end > {};

struct kw_guideline : TAO_PEGTL_KEYWORD( "guideline" ) {};
struct kw_version : TAO_PEGTL_KEYWORD( "version" ) {};
struct kw_source : TAO_PEGTL_KEYWORD( "source" ) {};
struct kw_disease : TAO_PEGTL_KEYWORD( "disease" ) {};
struct kw_bindings : TAO_PEGTL_KEYWORD( "bindings" ) {};
struct kw_hold : TAO_PEGTL_KEYWORD( "hold" ) {};
struct kw_cite : TAO_PEGTL_KEYWORD( "cite" ) {};
struct kw_note : TAO_PEGTL_KEYWORD( "note" ) {};
struct kw_result : TAO_PEGTL_KEYWORD( "result" ) {};
struct kw_normal : TAO_PEGTL_KEYWORD( "normal" ) {};
struct kw_baseline : TAO_PEGTL_KEYWORD( "baseline" ) {};
struct kw_nadir : TAO_PEGTL_KEYWORD( "nadir" ) {};
struct kw_and : TAO_PEGTL_KEYWORD( "and" ) {};
struct kw_or : TAO_PEGTL_KEYWORD( "or" ) {};
struct kw_not : TAO_PEGTL_KEYWORD( "not" ) {};
struct kw_unless : TAO_PEGTL_KEYWORD( "unless" ) {};
struct kw_ever : TAO_PEGTL_KEYWORD( "ever" ) {};
struct kw_never : TAO_PEGTL_KEYWORD( "never" ) {};
struct kw_known : TAO_PEGTL_KEYWORD( "known" ) {};
struct kw_unknown : TAO_PEGTL_KEYWORD( "unknown" ) {};
struct kw_for : TAO_PEGTL_KEYWORD( "for" ) {};
struct kw_sustained : TAO_PEGTL_KEYWORD( "sustained" ) {};
struct kw_within : TAO_PEGTL_KEYWORD( "within" ) {};
struct kw_after : TAO_PEGTL_KEYWORD( "after" ) {};
struct kw_before : TAO_PEGTL_KEYWORD( "before" ) {};
struct kw_from : TAO_PEGTL_KEYWORD( "from" ) {};
struct kw_over : TAO_PEGTL_KEYWORD( "over" ) {};
struct kw_at : TAO_PEGTL_KEYWORD( "at" ) {};
struct kw_least : TAO_PEGTL_KEYWORD( "least" ) {};
struct kw_of : TAO_PEGTL_KEYWORD( "of" ) {};
struct kw_all : TAO_PEGTL_KEYWORD( "all" ) {};
struct kw_any : TAO_PEGTL_KEYWORD( "any" ) {};
struct kw_none : TAO_PEGTL_KEYWORD( "none" ) {};
struct kw_among : TAO_PEGTL_KEYWORD( "among" ) {};
struct kw_abnormal : TAO_PEGTL_KEYWORD( "abnormal" ) {};
struct kw_first : TAO_PEGTL_KEYWORD( "first" ) {};
struct kw_last : TAO_PEGTL_KEYWORD( "last" ) {};
struct kw_on : TAO_PEGTL_KEYWORD( "on" ) {};
struct kw_class : TAO_PEGTL_KEYWORD( "class" ) {};
struct kw_treatment : TAO_PEGTL_KEYWORD( "treatment" ) {};
struct kw_is : TAO_PEGTL_KEYWORD( "is" ) {};
struct kw_by : TAO_PEGTL_KEYWORD( "by" ) {};
struct kw_if : TAO_PEGTL_KEYWORD( "if" ) {};
struct kw_else : TAO_PEGTL_KEYWORD( "else" ) {};
struct kw_as : TAO_PEGTL_KEYWORD( "as" ) {};
struct kw_value : TAO_PEGTL_KEYWORD( "value" ) {};
struct kw_decreased : TAO_PEGTL_KEYWORD( "decreased" ) {};
struct kw_increased : TAO_PEGTL_KEYWORD( "increased" ) {};
struct kw_measured : TAO_PEGTL_KEYWORD( "measured" ) {};
struct kw_shown : TAO_PEGTL_KEYWORD( "shown" ) {};
struct kw_since : TAO_PEGTL_KEYWORD( "since" ) {};
struct kw_until : TAO_PEGTL_KEYWORD( "until" ) {};

// Words that can never be a name (so `a and b` never reads `and` as a unit or a name).
struct reserved : sor< kw_and, kw_or, kw_not, kw_unless, kw_ever, kw_never, kw_known, kw_unknown, kw_for, kw_sustained, kw_within,
                       kw_after, kw_before, kw_from, kw_over, kw_at, kw_of, kw_first, kw_last, kw_on,
                       kw_is, kw_by, kw_if, kw_else, kw_as, kw_decreased, kw_increased, kw_cite, kw_result,
                       kw_normal, kw_baseline, kw_nadir, kw_treatment, kw_among, kw_measured, kw_shown, kw_since,
                       kw_until > {};

struct name : seq< not_at< reserved >, identifier > {};
struct expect_name : seq< name > {};

// "Hallek M, et al." : no escapes beyond \" and \\; a string ends on its line.
struct string_char : sor< seq< one< '\\' >, one< '"', '\\' > >, not_one< '"', '\n', '\r' > > {};
struct string_body : star< string_char > {};
struct string_close : one< '"' > {};
struct expect_string_close : seq< string_close > {};
struct string_lit : seq< one< '"' >, string_body, expect_string_close > {};
struct expect_string : seq< string_lit > {};

struct number : seq< plus< digit >, opt< one< '.' >, plus< digit > > > {};
struct integer : plus< digit > {};

// 2024-01-31
struct date_lit : seq< rep< 4, digit >, one< '-' >, rep< 2, digit >, one< '-' >, rep< 2, digit >, not_at< identifier_other > > {};

// 2mo, 8wk, 90d, 3y, 6 months
struct duration_unit : sor< TAO_PEGTL_KEYWORD( "months" ), TAO_PEGTL_KEYWORD( "month" ), TAO_PEGTL_KEYWORD( "mo" ),
                            TAO_PEGTL_KEYWORD( "weeks" ), TAO_PEGTL_KEYWORD( "week" ), TAO_PEGTL_KEYWORD( "wk" ),
                            TAO_PEGTL_KEYWORD( "days" ), TAO_PEGTL_KEYWORD( "day" ), TAO_PEGTL_KEYWORD( "d" ),
                            TAO_PEGTL_KEYWORD( "years" ), TAO_PEGTL_KEYWORD( "year" ), TAO_PEGTL_KEYWORD( "yr" ),
                            TAO_PEGTL_KEYWORD( "y" ) > {};
struct duration : seq< integer, sp, duration_unit > {};
struct expect_duration : seq< duration > {};

// 30%, 4 x10^9/L, 1.5 cm, 11 g/dL, 100 /uL
struct unit_char : sor< alnum, one< '%', '/', '*', '^', '.' >, utf8::one< 0xB5 > > {};
struct unit : seq< not_at< reserved >, not_at< duration_unit >, sor< one< '%', '/', 'x' >, alpha, digit >, star< unit_char > > {};
struct quantity : seq< number, opt< sp, unit > > {};

// Labels of named results: NE, PR-L, not-assessed, 6mo-3y, or a quoted string.
struct label : sor< string_lit, seq< alnum, star< sor< alnum, one< '_', '-', '.', '+' > > > > > {};
struct expect_label : seq< label > {};

struct cmp_op : sor< string< '<', '=' >, string< '>', '=' >, string< '!', '=' >, one< '<' >, one< '>' >, one< '=' >, utf8::one< 0x2264, 0x2265 > > {};
struct expect_cmp_op : seq< cmp_op > {};

// ---- Expressions (loosest binding first) -----------------------------------
struct expr;
struct expect_expr : seq< expr > {};

struct paren_close : one< ')' > {};
struct expect_paren_close : seq< paren_close > {};
struct paren : seq< one< '(' >, sp, nested< expect_expr >, sp, expect_paren_close > {};

// on class btk_inhibitor
struct on_class : seq< kw_on, sp1, kw_class, sp, expect_name > {};
// treatment of class cll_therapy
struct expect_kw_class : seq< kw_class > {};
struct treatment_of : seq< kw_treatment, sp1, kw_of, sp, expect_kw_class, sp, expect_name > {};

struct atom : sor< paren, date_lit, quantity, on_class, treatment_of, name > {};
// therapy.start, therapy.end
struct field : seq< one< '.' >, sor< TAO_PEGTL_KEYWORD( "start" ), TAO_PEGTL_KEYWORD( "end" ) > > {};
struct postfix : seq< atom, star< field > > {};
// first CR, first treatment of class x, last ...
struct first_of : seq< kw_first, sp1, nested< struct unary > > {};
struct last_of : seq< kw_last, sp1, nested< struct unary > > {};
struct unary : sor< first_of, last_of, postfix > {};
// therapy.end + 2mo
struct plus_dur : seq< one< '+' >, sp, expect_duration > {};
struct minus_dur : seq< one< '-' >, sp, expect_duration > {};
struct arith : seq< unary, star< sp, sor< plus_dur, minus_dur > > > {};

// Relations: `lymphocytes < 4 x10^9/L`, `node_spd decreased >= 50% from baseline`,
// `marrow_cellularity is normocellular`. A relation with no subject borrows the
// one before it: `platelets >= 100 x10^9/L or increased >= 50% from baseline`.
struct expect_operand : seq< arith > {};
struct compare : seq< cmp_op, sp, expect_operand > {};
struct change_dir : sor< kw_decreased, kw_increased > {};
struct change_by : seq< kw_by, sp1 > {};
struct ref_point : sor< kw_baseline, kw_nadir > {};
struct expect_ref_point : seq< ref_point > {};
struct expect_from : sor< kw_from, kw_over > {};
struct change : seq< change_dir, sp, opt< change_by >, expect_cmp_op, sp, expect_operand, sp, expect_from, sp, expect_ref_point > {};
struct is_not : seq< kw_not, sp1 > {};
struct is_value : seq< kw_is, sp, opt< is_not >, expect_label > {};
struct relation : sor< compare, change, is_value > {};
struct subject_relation : seq< arith, opt< sp, relation > > {};
struct relation_only : seq< relation > {};
struct rel_expr : sor< relation_only, subject_relation > {};

// Temporal qualifiers, applied left to right: `PD within 6mo after therapy.end`.
struct expect_date : seq< arith > {};
struct t_for : seq< opt< kw_sustained, sp1 >, kw_for, sp, expect_duration > {};
struct within_anchor : sor< kw_after, kw_of > {};
struct expect_within_anchor : seq< within_anchor > {};
struct t_within : seq< kw_within, sp, expect_duration, sp, expect_within_anchor, sp, expect_date > {};
struct t_at_least : seq< kw_at, sp1, kw_least, sp1, duration, sp1, kw_after, sp1, expect_date > {};
struct t_after : seq< kw_after, sp, expect_date > {};
struct t_before : seq< kw_before, sp, expect_date > {};
struct t_from : seq< kw_from, sp, expect_date > {};
struct t_at : seq< kw_at, sp1, not_at< kw_least >, expect_date > {};
// measured from assess: only results dated on or after the date count
struct t_measured : seq< kw_measured, sp1, kw_from, sp, expect_date > {};
struct temporal : sor< t_for, t_within, t_at_least, t_after, t_before, t_from, t_at, t_measured > {};
struct temporal_expr : seq< rel_expr, star< sp1, temporal > > {};

struct not_op : seq< kw_not, sp1, nested< struct prefix_expr > > {};
struct ever_op : seq< kw_ever, sp1, nested< struct prefix_expr > > {};
struct never_op : seq< kw_never, sp1, nested< struct prefix_expr > > {};
// never shown (CR or PR) since assess: no day from the anchor on showed it, and some day was known
struct expect_since : seq< kw_since > {};
struct never_shown_op : seq< kw_never, sp1, kw_shown, sp1, nested< struct prefix_expr >, sp, expect_since, sp, expect_date > {};
// known lymphocytes, unknown CR_marrow: whether the data decide a clause (never unknown itself)
struct known_op : seq< kw_known, sp1, nested< struct prefix_expr > > {};
struct unknown_op : seq< kw_unknown, sp1, nested< struct prefix_expr > > {};
struct prefix_expr : sor< not_op, ever_op, never_shown_op, never_op, known_op, unknown_op, temporal_expr > {};
struct unless_tail : seq< sp1, kw_unless, sp, expect_expr > {};
struct unless_expr : seq< prefix_expr, opt< unless_tail > > {};
struct expect_and_operand : seq< unless_expr > {};
struct and_tail : seq< sp1, kw_and, sp, expect_and_operand > {};
struct and_expr : seq< unless_expr, star< and_tail > > {};
struct expect_or_operand : seq< and_expr > {};
struct or_tail : seq< sp1, kw_or, sp, expect_or_operand > {};
struct or_expr : seq< and_expr, star< or_tail > > {};
struct expr : seq< or_expr > {};

// ---- Blocks of clauses ------------------------------------------------------
// all of / any of / none of / at least 2 of, optionally `among abnormal at baseline`,
// then qualifiers applied left to right: `all of, from assess, sustained for 2mo:`
struct all_of : seq< kw_all, sp1, kw_of > {};
struct any_of : seq< kw_any, sp1, kw_of > {};
struct none_of : seq< kw_none, sp1, kw_of > {};
struct expect_integer : seq< integer > {};
// After `at least` comes a duration (`at least 6mo after`) or, in a block, a count.
struct at_least_of : seq< kw_at, sp1, kw_least, sp1, not_at< duration >, expect_integer, sp1, kw_of > {};
struct combinator : sor< all_of, any_of, none_of, at_least_of > {};
struct among_abnormal : seq< kw_among, sp1, kw_abnormal, sp1, kw_at, sp1, kw_baseline > {};
struct qualifier : sor< among_abnormal, temporal > {};
struct qualifiers : list< qualifier, seq< sp, one< ',' >, sp > > {};
struct block_colon : one< ':' > {};
struct expect_block_colon : seq< block_colon > {};
struct block_head : sor< seq< combinator, opt< sp, one< ',' >, sp, qualifiers > >, qualifiers > {};
struct clause;
struct expect_block : seq< block< clause > > {};
struct group_clause : seq< block_head, sp, expect_block_colon, line_end, expect_block > {};
struct expr_clause : seq< expr, expect_line_end > {};
struct cite_line : seq< kw_cite, sp, expect_string, expect_line_end > {};
struct note_line : seq< kw_note, sp, expect_string, expect_line_end > {};
struct clause : sor< cite_line, note_line, group_clause, expr_clause > {};

// ---- Top-level items ---------------------------------------------------------
// guideline "iwCLL 2018"  (then an indented block of fields)
struct version_field : seq< kw_version, sp, expect_label, expect_line_end > {};
struct source_field : seq< kw_source, sp, expect_string, expect_line_end > {};
struct disease_field : seq< kw_disease, sp, expect_label, expect_line_end > {};
struct bindings_field : seq< kw_bindings, sp, expect_string, expect_line_end > {};
struct hold_field : seq< kw_hold, sp, expect_duration, expect_line_end > {};
struct header_field : sor< version_field, source_field, disease_field, bindings_field, hold_field, cite_line, note_line > {};
struct header_block : block< header_field > {};
struct guideline : seq< kw_guideline, sp, expect_string, expect_line_end, opt< header_block > > {};

// baseline = last value within 90d before therapy.start
struct baseline_rhs : seq< kw_last, sp1, kw_value, sp1, kw_within, sp, expect_duration, sp, kw_before, sp, expect_date > {};
struct expect_baseline_rhs : seq< baseline_rhs > {};
struct baseline_def : seq< kw_baseline, sp, one< '=' >, sp, expect_baseline_rhs, expect_line_end > {};

// normal lymphocytes < 4 x10^9/L       |  normal node_spd: node_longest_max < 1.5 cm
struct normal_expr : seq< one< ':' >, sp, expect_expr > {};
struct normal_rel : seq< relation > {};
struct expect_normal_body : sor< normal_expr, normal_rel > {};
struct normal_def : seq< kw_normal, sp, expect_name, sp, expect_normal_body, expect_line_end > {};

// result best_response = first of CR, CRi, PR, PR_L as PR-L, SD, PD, else NE
struct else_label : seq< kw_else, sp1, expect_label > {};
struct first_item : seq< not_at< kw_else >, name, opt< sp1, kw_as, sp1, expect_label > > {};
struct expect_first_item : seq< first_item > {};
// `until PD`: a category ranks only if it held before the first day the terminating one did
struct until_item : seq< kw_until, sp1, expect_name > {};
struct first_of_list : seq< kw_first, sp1, kw_of, sp, expect_first_item, star< sp, one< ',' >, sp, sor< else_label, until_item, expect_first_item > > > {};
struct choice : seq< label, sp1, kw_if, sp1, expect_expr > {};
struct choice_list : seq< choice, star< sp, one< ',' >, sp, sor< else_label, choice > > > {};
struct result_value : sor< first_of_list, choice_list, expr > {};
struct expect_result_value : seq< result_value > {};
struct expect_equals : one< '=' > {};
struct result_def : seq< kw_result, sp, expect_name, sp, expect_equals, sp, expect_result_value, expect_line_end > {};

// therapy = first treatment of class cll_therapy   |   assess = therapy.end + 2mo
struct definition : seq< name, sp, one< '=' >, sp, expect_expr, expect_line_end > {};

// CR "Complete remission": <clause>   or a block of cite/note/clauses
struct criterion_title : seq< string_lit > {};
struct criterion_body : sor< seq< line_end, expect_block >, seq< sp, expr, expect_line_end > > {};
struct expect_criterion_body : seq< criterion_body > {};
struct criterion : seq< name, opt< sp1, criterion_title >, sp, one< ':' >, expect_criterion_body > {};

struct top_item : sor< guideline, baseline_def, normal_def, result_def, definition, criterion > {};
struct expect_top_item : seq< top_item > {};
// One top-level item: what parse.cpp hands to PEGTL for each chunk of the file.
struct expect_end_of_item : seq< eof > {};
struct item_file : seq< expect_top_item, star< sor< blank, eol, comment > >, expect_end_of_item > {};

// clang-format on

}  // namespace crit::grammar
